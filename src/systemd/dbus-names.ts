// The names systemd uses on the bus, in one place, so the client and the systemd1 stand-in cannot
// drift apart. Documented in org.freedesktop.systemd1(5).

export const SYSTEMD_SERVICE = "org.freedesktop.systemd1";
export const MANAGER_PATH = "/org/freedesktop/systemd1";
export const MANAGER_INTERFACE = "org.freedesktop.systemd1.Manager";
export const UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";
export const SERVICE_INTERFACE = "org.freedesktop.systemd1.Service";
export const PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties";
export const NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";

/**
 * The object path systemd gives a unit: every byte that is not [A-Za-z0-9] (and a leading digit)
 * becomes `_xx` in lower-case hex, as sd_bus_path_encode() does; "k3s.service" → ".../unit/k3s_2eservice".
 */
export function unitObjectPath(unit: string): string {
  if (unit === "") return `${MANAGER_PATH}/unit/_`;
  let escaped = "";
  const bytes = Buffer.from(unit, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const alnum =
      (byte >= 0x30 && byte <= 0x39 && i > 0) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a);
    escaped += alnum ? String.fromCharCode(byte) : `_${byte.toString(16).padStart(2, "0")}`;
  }
  return `${MANAGER_PATH}/unit/${escaped}`;
}
