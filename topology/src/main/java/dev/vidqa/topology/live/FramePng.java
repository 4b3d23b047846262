package dev.vidqa.topology.live;

import dev.vidqa.topology.store.StoredFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** A stored frame (square uint8 RGB at the model's input size) as a PNG for the page. */
final class FramePng {
    private FramePng() {}

    static byte[] encode(StoredFrame f) throws IOException {
        int n = f.size();
        byte[] rgb = f.rgb();
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0, i = 0; y < n; y++) {
            for (int x = 0; x < n; x++, i += 3) { // (H,W,3) row-major
                img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * n);
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
