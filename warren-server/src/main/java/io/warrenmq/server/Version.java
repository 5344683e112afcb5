package io.warrenmq.server;

/** The WarrenMQ version, from the jar manifest (Implementation-Version), or "dev" in a build tree. */
public final class Version {
  private Version() {}

  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
