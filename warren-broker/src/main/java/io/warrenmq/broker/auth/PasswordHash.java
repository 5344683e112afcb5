package io.warrenmq.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Salted SHA-256 password hashes in RabbitMQ's {@code rabbit_password_hashing_sha256} format: the
 * base64 of a 4-byte random salt followed by SHA-256(salt ++ password), so hashes exported from
 * RabbitMQ's definitions verify here and the other way round.
 */
public final class PasswordHash {
  /** The algorithm name as RabbitMQ's definitions JSON spells it. */
  public static final String ALGORITHM = "rabbit_password_hashing_sha256";

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  /** A new hash of {@code password} with a fresh random salt, base64-encoded. */
  public static String hash(String password) {
    byte[] salt = new byte[4];
    RANDOM.nextBytes(salt);
    return Base64.getEncoder().encodeToString(hash(salt, password));
  }

  /** Whether {@code password} matches {@code encoded}; false for a malformed hash. */
  public static boolean verify(String encoded, String password) {
    byte[] stored;
    try {
      stored = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (stored.length != 4 + 32) {
      return false;
    }
    byte[] computed = hash(Arrays.copyOf(stored, 4), password);
    return MessageDigest.isEqual(stored, computed);
  }

  private static byte[] hash(byte[] salt, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      byte[] digest = sha.digest();
      byte[] out = new byte[salt.length + digest.length];
      System.arraycopy(salt, 0, out, 0, salt.length);
      System.arraycopy(digest, 0, out, salt.length, digest.length);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
