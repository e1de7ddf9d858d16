package dev.modelvalidation.operator.webhook;

import io.fabric8.kubernetes.api.model.Volume;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which volumes of a pod are backed by the same storage (the same PersistentVolumeClaim, host path or NFS export). */
final class VolumeStorage {
  private VolumeStorage() {}

  /**
   * The volumes backed by the same storage as one of {@code modelVolumes} (those included): mounting any of them
   * read-write would let a container change the verified model.
   */
  static Set<String> sameStorage(List<Volume> volumes, Set<String> modelVolumes) {
    Set<String> keys = new LinkedHashSet<>();
    for (Volume v : volumes) {
      if (modelVolumes.contains(v.getName()) && key(v) != null) {
        keys.add(key(v));
      }
    }
    Set<String> same = new LinkedHashSet<>(modelVolumes);
    for (Volume v : volumes) {
      String key = key(v);
      if (key != null && keys.contains(key)) {
        same.add(v.getName());
      }
    }
    return same;
  }

  private static String key(Volume v) {
    if (v.getPersistentVolumeClaim() != null) {
      return "pvc:" + v.getPersistentVolumeClaim().getClaimName();
    }
    if (v.getHostPath() != null) {
      return "hostPath:" + java.nio.file.Path.of(v.getHostPath().getPath()).normalize();
    }
    if (v.getNfs() != null) {
      return "nfs:" + v.getNfs().getServer() + ":" + java.nio.file.Path.of(v.getNfs().getPath()).normalize();
    }
    return null;
  }
}
