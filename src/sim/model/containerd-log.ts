// What k3s and its embedded containerd write when containerd's bbolt metadata is corrupt after an
// unclean shutdown: containerd.log has the panic, k3s's journal only `containerd: exit status 2`.

/** Lines of /var/lib/rancher/k3s/agent/containerd/containerd.log after a corrupt start. */
export function corruptContainerdLog(at: string): string {
  return [
    `time="${at}" level=info msg="starting containerd" revision=1.7.23-k3s2 version=v1.7.23-k3s2`,
    `time="${at}" level=info msg="loading plugin \\"io.containerd.metadata.v1.bolt\\"..." type=io.containerd.metadata.v1`,
    "panic: assertion failed: Page expected to be: 4711, but self identifies as 0",
    "",
    "goroutine 1 [running]:",
    "go.etcd.io/bbolt._assert(...)",
    "\t/go/pkg/mod/go.etcd.io/bbolt@v1.3.10/db.go:1387",
    "go.etcd.io/bbolt.(*page).fastCheck(0x7f3a2c1d4000, 0x1267)",
  ].join("\n");
}

/** A healthy containerd start in containerd.log. */
export function healthyContainerdLog(at: string): string {
  return [
    `time="${at}" level=info msg="starting containerd" revision=1.7.23-k3s2 version=v1.7.23-k3s2`,
    `time="${at}" level=info msg="containerd successfully booted in 0.041s"`,
  ].join("\n");
}

/** The k3s journal lines of a start that died with containerd. */
export function k3sJournalContainerdExit(at: string): string {
  return [
    `${at} songnodes-node k3s[2171]: time="${at}" level=info msg="Starting k3s v1.31.4+k3s1"`,
    `${at} songnodes-node k3s[2171]: time="${at}" level=info msg="Running containerd -c /var/lib/rancher/k3s/agent/etc/containerd/config.toml"`,
    `${at} songnodes-node k3s[2171]: time="${at}" level=fatal msg="containerd: exit status 2"`,
  ].join("\n");
}
