package io.warrenmq.server.tls;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys in PEM as OpenSSL writes them, turned into PKCS#8 PEM for Netty: PKCS#8 ({@code
 * BEGIN PRIVATE KEY}, {@code BEGIN ENCRYPTED PRIVATE KEY}) passes as it is, an RSA key in PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) is wrapped into PKCS#8. A PKCS#1 key encrypted the legacy
 * OpenSSL way ({@code Proc-Type: 4,ENCRYPTED}) and SEC1 EC keys are refused with how to convert
 * them.
 */
final class PemKeys {
  private static final Pattern PKCS1 =
      Pattern.compile("-----BEGIN RSA PRIVATE KEY-----(.*?)-----END RSA PRIVATE KEY-----", Pattern.DOTALL);
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemKeys() {}

  /**
   * The key of {@code pem} as PKCS#8 PEM.
   *
   * @throws IllegalArgumentException with what is wrong and how to convert it
   */
  static String pkcs8(String pem) {
    if (pem.contains("-----BEGIN PRIVATE KEY-----") || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return pem;
    }
    if (pem.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new IllegalArgumentException("the key is encrypted in OpenSSL's legacy PKCS#1 format, which is not"
          + " supported; convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW");
    }
    Matcher m = PKCS1.matcher(pem);
    if (m.find()) {
      byte[] pkcs1 = Base64.getMimeDecoder().decode(m.group(1).strip());
      return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(wrap(pkcs1))
          + "\n-----END PRIVATE KEY-----\n";
    }
    if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new IllegalArgumentException("SEC1 EC keys (BEGIN EC PRIVATE KEY) are not supported; convert the key"
          + " to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
    }
    throw new IllegalArgumentException("no PEM private key found (expected BEGIN PRIVATE KEY, BEGIN ENCRYPTED"
        + " PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 } (RFC 5208). */
  private static byte[] wrap(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    writeLength(body, pkcs1.length);
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write((length >> 8) & 0xff);
      out.write(length & 0xff);
    }
  }
}
