package dev.modelvalidation.modelsigning.hashing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * An incremental hash over bytes. {@link #digest()} returns the result and resets the hasher for reuse. Instances are
 * not thread-safe: the engine keeps one per worker.
 */
public abstract sealed class ContentHasher {
  private ContentHasher() {}

  static ContentHasher create(HashAlgorithm algorithm) {
    return switch (algorithm) {
      case SHA256 -> new Jdk("SHA-256");
      case BLAKE2B -> new Bc(new Blake2bDigest(512));
      case BLAKE3 -> new Bc(new Blake3Digest());
    };
  }

  /** Feeds {@code len} bytes of {@code data} from {@code off}. */
  public abstract void update(byte[] data, int off, int len);

  /** Feeds the remaining bytes of {@code buffer} (heap, direct or mapped) and advances its position to its limit. */
  public abstract void update(ByteBuffer buffer);

  /** Finishes the hash, returns the digest and resets this hasher. */
  public abstract byte[] digest();

  /** Convenience: the digest of one byte array with a fresh hasher. */
  public static byte[] digestOf(HashAlgorithm algorithm, byte[] data) {
    ContentHasher hasher = create(algorithm);
    hasher.update(data, 0, data.length);
    return hasher.digest();
  }

  static final class Jdk extends ContentHasher {
    private final MessageDigest md;

    Jdk(String name) {
      try {
        md = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(name + " is not available in this JDK", e);
      }
    }

    @Override
    public void update(byte[] data, int off, int len) {
      md.update(data, off, len);
    }

    @Override
    public void update(ByteBuffer buffer) {
      md.update(buffer);
    }

    @Override
    public byte[] digest() {
      return md.digest();
    }
  }

  /**
   * SHA-256 by OpenSSL ({@link NativeSha256}). Used by the hashing engine only, which feeds it its own direct read
   * buffers; heap input is copied through a direct scratch buffer.
   */
  static final class Native extends ContentHasher {
    private static final int SCRATCH_SIZE = 64 * 1024;
    private final NativeSha256.State state;
    private ByteBuffer scratch;

    Native(NativeSha256 sha256) {
      this.state = sha256.newState();
    }

    @Override
    public void update(byte[] data, int off, int len) {
      update(ByteBuffer.wrap(data, off, len));
    }

    /** Direct buffers are hashed in place; heap buffers are copied through a scratch buffer. */
    @Override
    public void update(ByteBuffer buffer) {
      if (buffer.isDirect()) {
        state.update(buffer);
        return;
      }
      if (scratch == null) {
        scratch = ByteBuffer.allocateDirect(SCRATCH_SIZE);
      }
      while (buffer.hasRemaining()) {
        int n = Math.min(SCRATCH_SIZE, buffer.remaining());
        scratch.clear();
        scratch.put(scratch.position(), buffer, buffer.position(), n).limit(n);
        buffer.position(buffer.position() + n);
        state.update(scratch);
      }
    }

    @Override
    public byte[] digest() {
      return state.digest();
    }

    /** See {@link NativeSha256.State#digestFile}: null when the caller must read the file itself. */
    byte[] digestFile(String path, ByteBuffer direct, int size) {
      return state.digestFile(path, direct, size);
    }
  }

  static final class Bc extends ContentHasher {
    private final Digest digest;
    private byte[] scratch;

    Bc(Digest digest) {
      this.digest = digest;
    }

    @Override
    public void update(byte[] data, int off, int len) {
      digest.update(data, off, len);
    }

    @Override
    public void update(ByteBuffer buffer) {
      if (buffer.hasArray()) {
        int n = buffer.remaining();
        digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
        buffer.position(buffer.limit());
        return;
      }
      if (scratch == null) {
        scratch = new byte[64 * 1024];
      }
      while (buffer.hasRemaining()) {
        int n = Math.min(scratch.length, buffer.remaining());
        buffer.get(scratch, 0, n);
        digest.update(scratch, 0, n);
      }
    }

    @Override
    public byte[] digest() {
      byte[] out = new byte[digest.getDigestSize()];
      digest.doFinal(out, 0);
      return out;
    }
  }
}
