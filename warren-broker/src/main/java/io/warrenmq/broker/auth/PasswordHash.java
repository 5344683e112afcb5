package io.warrenmq.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Salted password hashes in RabbitMQ's formats (rabbit_password, rabbit_password_hashing_sha256,
 * _sha512, _md5): the base64 of a 4-byte random salt followed by DIGEST(salt ++ password), so hashes
 * exported from RabbitMQ's definitions verify here and the other way round. New hashes are
 * SHA-256, RabbitMQ's default {@code password_hashing_module}; users imported with a SHA-512 or MD5
 * hash keep it (and their algorithm) until their password changes.
 */
public final class PasswordHash {
  /** The default algorithm's name as RabbitMQ's definitions JSON spells it. */
  public static final String ALGORITHM = Algorithm.SHA256.rabbitName();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The hashing modules RabbitMQ ships. */
  public enum Algorithm {
    SHA256("rabbit_password_hashing_sha256", "SHA-256"),
    SHA512("rabbit_password_hashing_sha512", "SHA-512"),
    MD5("rabbit_password_hashing_md5", "MD5");

    private final String rabbitName;
    private final String jdkName;

    Algorithm(String rabbitName, String jdkName) {
      this.rabbitName = rabbitName;
      this.jdkName = jdkName;
    }

    /** RabbitMQ's module name, as in definitions' {@code hashing_algorithm}. */
    public String rabbitName() {
      return rabbitName;
    }

    /** The algorithm of a RabbitMQ module name, or null if RabbitMQ ships no such module. */
    public static @Nullable Algorithm of(String rabbitName) {
      for (Algorithm a : values()) {
        if (a.rabbitName.equals(rabbitName)) {
          return a;
        }
      }
      return null;
    }

    byte[] digest(byte[] salt, String password) {
      try {
        MessageDigest d = MessageDigest.getInstance(jdkName);
        d.update(salt);
        d.update(password.getBytes(StandardCharsets.UTF_8));
        return d.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(jdkName + " is required of every JDK", e);
      }
    }
  }

  private PasswordHash() {}

  /** A new SHA-256 hash of {@code password} with a fresh random salt, base64-encoded. */
  public static String hash(String password) {
    return hash(Algorithm.SHA256, password);
  }

  /** A new hash of {@code password} with {@code algorithm} and a fresh random salt, base64-encoded. */
  public static String hash(Algorithm algorithm, String password) {
    byte[] salt = new byte[4];
    RANDOM.nextBytes(salt);
    return Base64.getEncoder().encodeToString(salted(algorithm, salt, password));
  }

  /** Whether {@code password} matches the SHA-256 hash {@code encoded}; false for a malformed hash. */
  public static boolean verify(String encoded, String password) {
    return verify(Algorithm.SHA256, encoded, password);
  }

  /**
   * Whether {@code password} matches {@code encoded}, as rabbit_auth_backend_internal checks it:
   * the first 4 bytes are the salt, the rest must equal DIGEST(salt ++ password); false for a hash
   * that is not base64 or shorter than a salt.
   */
  public static boolean verify(Algorithm algorithm, String encoded, String password) {
    byte[] stored = decode(encoded);
    if (stored == null || stored.length < 4) {
      return false;
    }
    return MessageDigest.isEqual(stored, salted(algorithm, Arrays.copyOf(stored, 4), password));
  }

  /** The bytes of a base64 hash, or null if it is not base64 (rabbit_misc:b64decode_or_throw). */
  public static byte @Nullable [] decode(String encoded) {
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] salted(Algorithm algorithm, byte[] salt, String password) {
    byte[] digest = algorithm.digest(salt, password);
    byte[] out = new byte[salt.length + digest.length];
    System.arraycopy(salt, 0, out, 0, salt.length);
    System.arraycopy(digest, 0, out, salt.length, digest.length);
    return out;
  }
}
