/** Hands a Blob to the browser as a downloaded file named `name`, through a short-lived object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download; the URL only has to outlive it (revoking at once can cancel it in Chromium).
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveText(text: string, name: string): void {
  saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), name);
}
