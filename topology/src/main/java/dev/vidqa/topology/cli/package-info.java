/**
 * The {@code vidqa} command line: one class per command; errors become one line and an exit code ({@code Errors}).
 */
package dev.vidqa.topology.cli;
