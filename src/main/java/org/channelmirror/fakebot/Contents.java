package org.channelmirror.fakebot;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** The FileContent implementations. */
final class Contents {
  private Contents() {}

  /** Small in-memory content. */
  static final class Bytes implements FileContent {
    private final byte[] data;

    Bytes(byte[] data) {
      this.data = data;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public InputStream open(long offset) {
      int from = (int) Math.min(Math.max(offset, 0), data.length);
      return new ByteArrayInputStream(data, from, data.length - from);
    }
  }

  /** A JPEG with known dimensions, so photo posts can report plausible width/height. */
  static final class Jpeg implements FileContent {
    final int width;
    final int height;
    private final Bytes bytes;

    private Jpeg(int width, int height, byte[] data) {
      this.width = width;
      this.height = height;
      this.bytes = new Bytes(data);
    }

    static Jpeg create(long seed, int width, int height) {
      SplittableRandom rnd = new SplittableRandom(seed);
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      try {
        g.setPaint(new GradientPaint(0, 0, new Color(rnd.nextInt(0x1000000)), width, height,
            new Color(rnd.nextInt(0x1000000))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
          g.setColor(new Color(rnd.nextInt(0x1000000)));
          int w = 1 + rnd.nextInt(Math.max(1, width / 3));
          int h = 1 + rnd.nextInt(Math.max(1, height / 3));
          g.fillOval(rnd.nextInt(Math.max(1, width)), rnd.nextInt(Math.max(1, height)), w, h);
        }
      } finally {
        g.dispose();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        if (!ImageIO.write(img, "jpg", out)) {
          throw new IllegalStateException("no JPEG writer available");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Jpeg(width, height, out.toByteArray());
    }

    @Override
    public long size() {
      return bytes.size();
    }

    @Override
    public InputStream open(long offset) {
      return bytes.open(offset);
    }
  }

  /** A file on disk (spooled uploads, local-path sends). */
  static final class OnDisk implements FileContent {
    private final Path path;
    private final long size;

    OnDisk(Path path, long size) {
      this.path = path;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public InputStream open(long offset) throws IOException {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      ch.position(offset);
      return Channels.newInputStream(ch);
    }
  }

  /** Seekable pseudo-random content: block i is filled from SplittableRandom(seed ^ mix(i)). */
  static final class Random implements FileContent {
    static final int BLOCK = 1 << 16;
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final long seed;
    private final long size;

    Random(long seed, long size) {
      if (size < 0) {
        throw new IllegalArgumentException("size < 0");
      }
      this.seed = seed;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public InputStream open(long offset) {
      return new RandomStream(Math.min(Math.max(offset, 0), size));
    }

    void fillBlock(long index, byte[] block) {
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + index);
      for (int i = 0; i < BLOCK; i += 8) {
        LONGS.set(block, i, rnd.nextLong());
      }
    }

    private final class RandomStream extends InputStream {
      private final byte[] block = new byte[BLOCK];
      private long pos;
      private long blockIndex = -1;

      RandomStream(long pos) {
        this.pos = pos;
      }

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int done = 0;
        while (done < len && pos < size) {
          long idx = pos / BLOCK;
          if (idx != blockIndex) {
            fillBlock(idx, block);
            blockIndex = idx;
          }
          int inBlock = (int) (pos % BLOCK);
          int n = (int) Math.min(Math.min(len - done, BLOCK - inBlock), size - pos);
          System.arraycopy(block, inBlock, b, off + done, n);
          done += n;
          pos += n;
        }
        return done;
      }

      @Override
      public long skip(long n) {
        long k = Math.max(0, Math.min(n, size - pos));
        pos += k;
        return k;
      }

      @Override
      public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - pos);
      }
    }
  }
}
