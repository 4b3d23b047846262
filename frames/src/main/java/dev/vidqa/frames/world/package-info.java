/**
 * The generated world ({@code vidqa world}): scenes of coloured shapes that move, come and go
 * ({@link dev.vidqa.frames.world.SceneSampler}), painted frame by frame
 * ({@link dev.vidqa.frames.world.SceneRenderer}) and encoded as H.264 MP4 through FFmpeg
 * ({@link dev.vidqa.frames.world.WorldWriter}), with the ground truth ({@code scenes.jsonl}), the
 * questions whose answers the scene makes true ({@link dev.vidqa.frames.world.QuestionMaker},
 * {@code qa.jsonl}) and per-patch labels for pretraining a vision encoder
 * ({@link dev.vidqa.frames.world.PatchLabels}). Depends on FFmpeg (JavaCV) and Jackson only.
 */
package dev.vidqa.frames.world;
