/** Hands a Blob to the browser as a downloaded file, through a short-lived object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has started the download by now; the URL only has to outlive the click.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
