package dev.vidqa.qformer.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of one Hugging Face checkpoint directory: a single {@code model.safetensors} or shards
 * listed in {@code model.safetensors.index.json}. Tensors are memory-mapped and turned into {@link
 * NDArray}s on demand; float32 stays zero-copy on CPU, float16/bfloat16 are widened to float32.
 *
 * <p>All loaded arrays belong to one {@link NDManager}. Once the model is built, {@link #seal()}
 * caps it: the weights are then immutable and shared by every request thread, and any operation
 * that would attach a new array to the weights' manager (a leak) fails at once.
 */
public final class WeightStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeightStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";
    private static final java.util.regex.Pattern SHARD_NAME =
            java.util.regex.Pattern.compile("model-\\d+-of-\\d+\\.safetensors");

    private record Location(SafetensorsFile file, TensorInfo info) {}

    private final Path source;
    private final Map<String, Location> index;
    private final NDManager manager;
    private final Set<String> consumed = ConcurrentHashMap.newKeySet();
    private final List<String[]> prefixAliases = new ArrayList<>();
    /** Every array handed out, by its key in the checkpoint: what training updates and saves. */
    private final Map<String, NDArray> loaded = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean sealed;
    /** Non-null in recording mode: every requested key and shape, in order. */
    private final Map<String, long[]> recorded;
    /** FLOAT64 widens every float weight (finite-difference checks); null keeps the stored precision. */
    private DataType compute;

    private WeightStore(Path source, Map<String, Location> index, NDManager manager, Map<String, long[]> recorded) {
        this.source = source;
        this.index = index;
        this.manager = manager;
        this.recorded = recorded;
    }

    /**
     * A store with no file behind it that answers every request with zeros of the expected shape
     * and records what was asked. Building a model on it lists the model's keys and shapes, which
     * is how {@link RandomCheckpoint} writes random-weight checkpoints of any configuration.
     */
    public static WeightStore recording(Device device) {
        return new WeightStore(Path.of("<recording>"), Map.of(), NDManager.newBaseManager(device), new LinkedHashMap<>());
    }

    /** Keys and shapes requested so far in recording mode. */
    public Map<String, long[]> recorded() {
        if (recorded == null) {
            throw new IllegalStateException("not a recording store");
        }
        return Collections.unmodifiableMap(recorded);
    }

    /**
     * Widens every float weight loaded from now on to float64: for gradient checks by finite
     * differences, which float32 rounding would swamp. Never for serving.
     */
    public WeightStore widenToFloat64() {
        this.compute = DataType.FLOAT64;
        return this;
    }

    /** Opens the weights of a checkpoint directory (headers only) for arrays on {@code device}. */
    public static WeightStore open(Path dir, Device device) {
        try {
            return new WeightStore(dir, readIndex(dir), NDManager.newBaseManager(device), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Location> readIndex(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new WeightException(dir + " is not a directory (expected a Hugging Face checkpoint directory)");
        }
        Path indexFile = dir.resolve(INDEX_FILE);
        Map<String, Location> index = new LinkedHashMap<>();
        if (Files.isRegularFile(indexFile)) {
            JsonNode map = dev.vidqa.qformer.config.JsonFiles.read(indexFile, dev.vidqa.qformer.config.JsonFiles.SMALL)
                    .get("weight_map");
            if (map == null || !map.isObject()) {
                throw new WeightException(indexFile + ": no \"weight_map\" object");
            }
            Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                Path shardPath = insideCheckpoint(dir, shardName, indexFile, e.getKey());
                if (!Files.isRegularFile(shardPath)) {
                    throw new WeightException(indexFile + " lists weight '" + e.getKey() + "' in " + shardName
                            + ", but " + shardPath + " does not exist (incomplete download?)");
                }
                SafetensorsFile shard = shards.computeIfAbsent(shardName, n -> openUnchecked(shardPath));
                TensorInfo info = shard.tensors().get(e.getKey());
                if (info == null) {
                    throw new WeightException(indexFile + " lists weight '" + e.getKey() + "' in " + shardName
                            + ", but that file has no such tensor");
                }
                index.put(e.getKey(), new Location(shard, info));
            }
            return index;
        }
        List<Path> files;
        if (Files.isRegularFile(dir.resolve(SINGLE_FILE))) {
            files = List.of(dir.resolve(SINGLE_FILE));
        } else {
            // shards without their index (hand-copied checkpoints): model-0000N-of-0000M.safetensors
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> SHARD_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
            }
        }
        if (files.isEmpty()) {
            boolean pickle;
            try (Stream<Path> s = Files.list(dir)) {
                pickle = s.anyMatch(p -> p.getFileName().toString().matches("pytorch_model.*\\.bin(\\.index\\.json)?"));
            }
            if (pickle) {
                throw new WeightException(dir + " holds only PyTorch pickle weights (pytorch_model*.bin); vidqa loads"
                        + " safetensors only, which cannot run code when opened. Convert once with Python:"
                        + " `from transformers import AutoModelForVision2Seq as M;"
                        + " M.from_pretrained('" + dir + "').save_pretrained('" + dir + "-safetensors',"
                        + " safe_serialization=True)`");
            }
            throw new WeightException(dir + " has no " + SINGLE_FILE + " nor " + INDEX_FILE
                    + " (expected a Hugging Face checkpoint directory with safetensors weights)");
        }
        for (Path f : files) {
            SafetensorsFile file = SafetensorsFile.open(f);
            for (TensorInfo info : file.tensors().values()) {
                Location prev = index.put(info.name(), new Location(file, info));
                if (prev != null) {
                    throw new WeightException("weight '" + info.name() + "' appears in both " + prev.file().path()
                            + " and " + f + " and there is no " + INDEX_FILE + " to say which one counts");
                }
            }
        }
        return index;
    }

    /**
     * The shard file an index names, which must be a plain file name inside the checkpoint
     * directory: an index naming {@code ../../etc/passwd} is refused before anything is opened.
     */
    static Path insideCheckpoint(Path dir, String shardName, Path indexFile, String key) {
        Path root = dir.toAbsolutePath().normalize();
        Path p = root.resolve(shardName).normalize();
        if (shardName.isEmpty() || Path.of(shardName).isAbsolute() || !p.startsWith(root) || p.equals(root)) {
            throw new WeightException(indexFile + " places weight '" + key + "' in '" + shardName
                    + "', which is not a file inside the checkpoint directory; refusing to open it");
        }
        return p;
    }

    private static SafetensorsFile openUnchecked(Path p) {
        try {
            return SafetensorsFile.open(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Declares that keys under {@code canonical} may be spelled with {@code alternative} instead in
     * a checkpoint (e.g. {@code language_model.model.} and {@code language_model.}).
     */
    public WeightStore alias(String canonical, String alternative) {
        prefixAliases.add(new String[] {canonical, alternative});
        return this;
    }

    /** The actual key in the checkpoint for {@code key}, trying declared aliases; null if none. */
    public String resolve(String key) {
        if (recorded != null) {
            return key;
        }
        if (index.containsKey(key)) {
            return key;
        }
        for (String[] a : prefixAliases) {
            if (key.startsWith(a[0])) {
                String alt = a[1] + key.substring(a[0].length());
                if (index.containsKey(alt)) {
                    return alt;
                }
            }
        }
        return null;
    }

    public boolean contains(String key) {
        return resolve(key) != null;
    }

    /** The header entry of {@code key}, or null. */
    public TensorInfo info(String key) {
        String actual = resolve(key);
        return actual == null ? null : index.get(actual).info();
    }

    /**
     * Loads {@code key} as a float32 array (or the stored integer type), checking its shape. A
     * negative entry in {@code expectedShape} accepts any size in that dimension.
     */
    public NDArray load(String key, long... expectedShape) {
        if (recorded != null) {
            for (long d : expectedShape) {
                if (d < 0) {
                    throw new IllegalArgumentException("recording store needs a full shape for '" + key + "'");
                }
            }
            recorded.put(key, expectedShape.clone());
            return manager.zeros(new Shape(expectedShape), DataType.FLOAT32);
        }
        String actual = resolve(key);
        if (actual == null) {
            throw new WeightException("missing weight '" + key + "' (expected shape " + shapeString(expectedShape)
                    + ") in " + describeSource() + nearest(key));
        }
        Location loc = index.get(actual);
        TensorInfo info = loc.info();
        if (!shapeMatches(info.shape(), expectedShape)) {
            throw new WeightException("weight '" + actual + "' in " + loc.file().path() + " has shape "
                    + info.shapeString() + ", expected " + shapeString(expectedShape));
        }
        if (sealed) {
            throw new IllegalStateException("weights are sealed; '" + key + "' must be loaded while building the model");
        }
        if (!info.dtype().isFloat()) {
            throw new WeightException("weight '" + actual + "' in " + loc.file().path() + " has dtype " + info.dtype()
                    + "; the model's weights are floating point (F32, F16, BF16 or F64)");
        }
        consumed.add(actual);
        try {
            NDArray array = toArray(loc.file(), info);
            if (compute == DataType.FLOAT64 && array.getDataType() == DataType.FLOAT32) {
                NDArray wide = array.toType(DataType.FLOAT64, true);
                array.close();
                array = wide;
            }
            loaded.put(actual, array);
            return array;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weight '" + actual + "' from " + loc.file().path(), e);
        }
    }

    private NDArray toArray(SafetensorsFile file, TensorInfo info) throws IOException {
        Shape shape = new Shape(info.shape());
        SafetensorsFile.Mapping mapping = file.map(info);
        ByteBuffer bytes = mapping.buffer();
        boolean onCpu = !manager.getDevice().isGpu();
        switch (info.dtype()) {
            case F32, I64, I32, I8, U8, BOOL -> {
                DataType type = switch (info.dtype()) {
                    case F32 -> DataType.FLOAT32;
                    case I64 -> DataType.INT64;
                    case I32 -> DataType.INT32;
                    case I8 -> DataType.INT8;
                    case U8 -> DataType.UINT8;
                    default -> DataType.BOOLEAN;
                };
                if (mapping.copyOnWrite() || !onCpu) {
                    // CPU: zero-copy over the private mapping. GPU: libtorch copies to the device.
                    return manager.create(bytes, shape, type);
                }
                NDArray out = manager.create(shape, type);
                out.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN).put(bytes);
                return out;
            }
            case F16, BF16, F64 -> {
                return widenInto(shape, bytes, info.dtype());
            }
            default -> throw new WeightException(file.path() + ": tensor '" + info.name() + "' has unsupported dtype "
                    + info.dtype());
        }
    }

    /**
     * Widens half-precision (or narrows float64) data to float32 into torch-owned CPU memory, then
     * moves it to the device. DJL's JNI has no bfloat16, and float16 matmul on CPU is ~200x slower.
     */
    private NDArray widenInto(Shape shape, ByteBuffer src, StorageType type) {
        boolean onCpu = !manager.getDevice().isGpu();
        NDManager staging = onCpu ? manager : NDManager.newBaseManager(Device.cpu());
        try {
            NDArray cpu = staging.create(shape, DataType.FLOAT32);
            FloatBuffer dst = cpu.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
            src.order(ByteOrder.LITTLE_ENDIAN);
            long n = shape.size();
            switch (type) {
                case BF16 -> {
                    ShortBuffer s = src.asShortBuffer();
                    for (long i = 0; i < n; i++) {
                        dst.put(Float.intBitsToFloat((s.get() & 0xFFFF) << 16));
                    }
                }
                case F16 -> {
                    ShortBuffer s = src.asShortBuffer();
                    for (long i = 0; i < n; i++) {
                        dst.put(Half.toFloat(s.get()));
                    }
                }
                case F64 -> {
                    DoubleBuffer s = src.asDoubleBuffer();
                    for (long i = 0; i < n; i++) {
                        dst.put((float) s.get());
                    }
                }
                default -> throw new IllegalArgumentException(type.toString());
            }
            if (onCpu) {
                return cpu;
            }
            NDArray onDevice = cpu.toDevice(manager.getDevice(), false);
            onDevice.attach(manager);
            return onDevice;
        } finally {
            if (!onCpu) {
                staging.close();
            }
        }
    }

    /**
     * Marks {@code key} as known but not loaded: a tied copy of another weight (T5's
     * {@code encoder.embed_tokens} is {@code shared}). Absent keys are ignored.
     */
    public void skip(String key) {
        String actual = resolve(key);
        if (actual != null && recorded == null) {
            consumed.add(actual);
        }
    }

    /** All keys of the checkpoint. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(index.keySet());
    }

    /** Keys under any of {@code prefixes} that no block has loaded. */
    public List<String> unconsumed(String... prefixes) {
        List<String> out = new ArrayList<>();
        for (String k : index.keySet()) {
            if (!consumed.contains(k) && (prefixes.length == 0 || Arrays.stream(prefixes).anyMatch(k::startsWith))) {
                out.add(k);
            }
        }
        return out;
    }

    /** Fails when the checkpoint has weights under {@code prefixes} that the model did not use. */
    public void requireAllConsumed(String... prefixes) {
        List<String> extra = unconsumed(prefixes);
        if (!extra.isEmpty()) {
            int shown = Math.min(extra.size(), 10);
            StringBuilder sb = new StringBuilder();
            for (String k : extra.subList(0, shown)) {
                Location l = index.get(k);
                sb.append("\n  ").append(k).append(' ').append(l.info().shapeString()).append(" in ")
                        .append(l.file().path().getFileName());
            }
            throw new WeightException(extra.size() + " unexpected weight(s) in " + describeSource()
                    + " that this configuration does not use (wrong config.json for these weights?):" + sb
                    + (extra.size() > shown ? "\n  ... and " + (extra.size() - shown) + " more" : ""));
        }
    }

    /** Caps the manager: from now on the weights are read-only and shared. */
    public void seal() {
        sealed = true;
        manager.cap();
        LOG.debug("sealed {} weights from {}", consumed.size(), source);
    }

    /**
     * Ends loading without capping the manager: for training, whose parameters need gradients and
     * optimiser state that a capped manager refuses. Updates land in the private (copy-on-write)
     * mappings, never in the checkpoint's files.
     */
    public void sealForTraining() {
        sealed = true;
        LOG.debug("loaded {} weights from {} for training", consumed.size(), source);
    }

    /** The arrays the model holds, by their key in the checkpoint, in loading order. */
    public Map<String, NDArray> loadedArrays() {
        synchronized (loaded) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(loaded));
        }
    }

    /**
     * Keys of the checkpoint that no block loaded but were declared known (tied copies such as T5's
     * {@code encoder.embed_tokens.weight}), so that a saved checkpoint can keep them.
     */
    public List<String> skippedKeys() {
        List<String> out = new ArrayList<>();
        for (String k : index.keySet()) {
            if (consumed.contains(k) && !loaded.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The stored bytes of {@code key} as they are in the checkpoint file (for copying unchanged). */
    public TensorBytes rawBytes(String key) throws IOException {
        Location loc = index.get(key);
        if (loc == null) {
            throw new WeightException("no weight '" + key + "' in " + describeSource());
        }
        return new TensorBytes(loc.info(), loc.file().map(loc.info()).buffer());
    }

    /** A tensor's header entry and its bytes. */
    public record TensorBytes(TensorInfo info, ByteBuffer bytes) {}

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    public Path source() {
        return source;
    }

    /** A view of the weights under {@code prefix} (without trailing dot). */
    public Weights scope(String prefix) {
        return new Weights(this, prefix);
    }

    private String describeSource() {
        Path idx = source.resolve(INDEX_FILE);
        return Files.isRegularFile(idx) ? idx.toString() : source.resolve(SINGLE_FILE).toString();
    }

    private String nearest(String key) {
        int dot = key.lastIndexOf('.');
        String parent = dot > 0 ? key.substring(0, dot) : "";
        Set<String> near = new TreeSet<>();
        for (String k : index.keySet()) {
            if (!parent.isEmpty() && k.startsWith(parent)) {
                near.add(k);
            }
        }
        if (near.isEmpty()) {
            return " (" + index.size() + " weights in the checkpoint; none under '" + parent + "')";
        }
        return " (present under '" + parent + "': " + String.join(", ", near.stream().limit(8).toList()) + ")";
    }

    static boolean shapeMatches(long[] actual, long[] expected) {
        if (expected == null || expected.length == 0) {
            return true;
        }
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] >= 0 && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    static String shapeString(long[] shape) {
        if (shape == null || shape.length == 0) {
            return "any";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "*" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public void close() {
        manager.close();
    }
}
