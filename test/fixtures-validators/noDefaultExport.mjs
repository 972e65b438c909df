// Has only a named export.
export function validate() {
  return true;
}
