"""``/auth-files*`` (v0) and ``/credentials*`` (v8) over the credential store (cpa-management-api §5, cpa-v8 §6).

Uploads of at most 1 MiB (what the front end keeps of a body) are parsed and stored like CPA stores them;
larger ones keep the streaming stub's answer (size, sha256, parts), which the proxy tests rely on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from email.message import Message
from typing import TYPE_CHECKING, Any

from .bodies import KEEP_LIMIT, iter_download, multipart_boundary
from .credential_store import StoreError, parse_upload
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
_INT_RE = re.compile(r"^[+-]?\d+$")
_TRUE = ("true", "1", "*")


def _error(exc: StoreError) -> Reply:
    return json_reply(exc.status, {"error": exc.message})


def form_parts(req: Request) -> list[tuple[str, str, bytes]] | None:
    """(field name, filename, content) of each multipart part, or None for another content type."""
    boundary = multipart_boundary(req.headers.get("content-type", ""))
    if boundary is None:
        return None
    parts = []
    for chunk in req.body.head.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.partition(b"\r\n\r\n")
        holder = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-disposition":
                holder["Content-Disposition"] = value.strip()
        field = holder.get_param("name", "", "content-disposition") or ""
        filename = holder.get_param("filename", "", "content-disposition") or ""
        parts.append((str(field), str(filename), content[:-2] if content.endswith(b"\r\n") else content))
    return parts


def list_files(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"files": double.credentials.entries(req.arg("name"), req.arg("auth_index"))})


def upload(double: CpaDouble, req: Request) -> Reply:
    if req.body.size > KEEP_LIMIT:
        return _streamed_upload(req)
    parts = form_parts(req)
    if parts is None:
        name = req.arg("name") or ""
        if not name or "/" in name or "\\" in name:
            return json_reply(400, {"error": "invalid name"})
        files = [(name, req.body.head)]
    else:
        files = [(filename.rsplit("/", 1)[-1], content) for _, filename, content in sorted(parts) if filename]
        if not files:
            return json_reply(400, {"error": "no files uploaded"})
    stored, failed = [], []
    for name, content in files:
        try:
            double.credentials.add(name, parse_upload(name, content))
            stored.append(name)
        except StoreError as exc:
            if len(files) == 1:
                return _error(exc)
            failed.append({"error": exc.message, "name": name})
    if len(files) == 1:
        return json_reply(200, {"status": "ok"})
    if failed:
        return json_reply(207, {"failed": failed, "files": stored, "status": "partial", "uploaded": len(stored)})
    return json_reply(200, {"files": stored, "status": "ok", "uploaded": len(stored)})


def _streamed_upload(req: Request) -> Reply:
    parts = req.body.parts
    names = [req.arg("name") or "upload.json"] if parts is None else [p.filename or p.name for p in parts]
    described = [] if parts is None else [p.as_json() for p in parts]
    return json_reply(200, {"status": "ok", "files": names, "size": req.body.size, "sha256": req.body.sha256,
                            "parts": described})


def download(double: CpaDouble, req: Request) -> Reply:
    name = req.arg("name") or ""
    raw_size = req.arg("size")
    if raw_size is not None:  # the streaming pattern the proxy tests download
        if not _INT_RE.match(raw_size) or int(raw_size) < 0:
            return json_reply(400, {"error": "invalid size"})
        size = int(raw_size)
        return Reply(200, content_type="application/octet-stream", stream=iter_download(size), length=size,
                     headers=[("Content-Disposition", f'attachment; filename="{name or "download.bin"}"')])
    if not name or "/" in name or "\\" in name:
        return json_reply(400, {"error": "invalid name"})
    if not name.endswith(".json"):
        return json_reply(400, {"error": "name must end with .json"})
    cred = double.credentials.get(name)
    if cred is None:
        return json_reply(404, {"error": "file not found"})
    return Reply(200, cred.content, "application/json",
                 headers=[("Content-Disposition", f'attachment; filename="{name}"')])


def _delete_names(req: Request) -> list[str] | Reply:
    names = req.query.get("name") or []
    if not names and req.body.size:
        try:
            body = json.loads(req.body.head)
        except ValueError:
            return json_reply(400, {"error": "invalid request body"})
        if isinstance(body, list):
            names = [n for n in body if isinstance(n, str)]
        elif isinstance(body, dict):
            names = ([body["name"]] if isinstance(body.get("name"), str) else []) + [
                n for n in body.get("names") or [] if isinstance(n, str)]
        else:
            return json_reply(400, {"error": "invalid request body"})
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return unique if unique else json_reply(400, {"error": "invalid name"})


def delete(double: CpaDouble, req: Request) -> Reply:
    if (req.arg("all") or "").lower() in _TRUE:
        return json_reply(200, {"deleted": double.credentials.delete_all(), "status": "ok"})
    names = _delete_names(req)
    if isinstance(names, Reply):
        return names
    deleted, failed = [], []
    for name in names:
        try:
            double.credentials.delete(name)
            deleted.append(name)
        except StoreError as exc:
            if len(names) == 1:
                return _error(exc)
            failed.append({"error": exc.message, "name": name})
    if len(names) == 1:
        return json_reply(200, {"status": "ok"})
    if failed:
        return json_reply(207, {"deleted": len(deleted), "failed": failed, "files": deleted, "status": "partial"})
    return json_reply(200, {"deleted": len(deleted), "files": deleted, "status": "ok"})


def _body(req: Request) -> dict[str, Any] | None:
    try:
        body = req.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def patch_status(double: CpaDouble, req: Request) -> Reply:
    body = _body(req)
    if body is None:
        return json_reply(400, {"error": "invalid request body"})
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return json_reply(400, {"error": "name is required"})
    if not isinstance(body.get("disabled"), bool):
        return json_reply(400, {"error": "disabled is required"})
    index = body.get("auth_index") if isinstance(body.get("auth_index"), str) else None
    try:
        double.credentials.set_disabled(name.strip(), body["disabled"], index)
    except StoreError as exc:
        return _error(exc)
    return json_reply(200, {"disabled": body["disabled"], "status": "ok"})


def patch_fields(double: CpaDouble, req: Request) -> Reply:
    body = _body(req)
    if body is None:
        return json_reply(400, {"error": "invalid request body"})
    name = body.pop("name", None)
    if not isinstance(name, str) or not name.strip():
        return json_reply(400, {"error": "name is required"})
    if not body:
        return json_reply(400, {"error": "no fields to update"})
    try:
        double.credentials.patch_fields(name.strip(), body)
    except StoreError as exc:
        return _error(exc)
    return json_reply(200, {"status": "ok"})


def models(double: CpaDouble, req: Request) -> Reply:
    name = req.arg("name")
    if not name:
        return json_reply(400, {"error": "name is required"})
    return json_reply(200, {"models": double.credentials.models(name)})


def refresh(double: CpaDouble, req: Request) -> Reply:
    name, index = req.arg("name"), req.arg("auth_index")
    if (req.arg("all") or "").lower() in _TRUE:
        return json_reply(200, {"ok": True, "results": [{"name": n, "ok": True} for n in double.credentials.names()]})
    cred = double.credentials.get(name) if name else double.credentials.by_auth_index(index or "")
    if not name and not index:
        return json_reply(400, {"error": "name or all=true is required"})
    if cred is None:
        return json_reply(404, {"error": "auth file not found"})
    return json_reply(200, {"ok": True, "auth": double.credentials.entry(cred)})


def vertex_import(double: CpaDouble, req: Request) -> Reply:
    parts = form_parts(req) or []
    upload_part = next((p for p in parts if p[0] == "file"), None)
    if upload_part is None:
        return json_reply(400, {"error": "file required"})
    location = next((p[2].decode() for p in parts if p[0] == "location"), "") or req.arg("location") or "us-central1"
    try:
        account = json.loads(upload_part[2])
    except ValueError as exc:
        return json_reply(400, {"error": "invalid json", "message": str(exc)})
    if not isinstance(account, dict) or not str(account.get("private_key", "")).startswith("-----BEGIN"):
        return json_reply(400, {"error": "invalid service account", "message": "private_key is missing or invalid"})
    project = account.get("project_id")
    if not isinstance(project, str) or not project:
        return json_reply(400, {"error": "project_id missing"})
    email = str(account.get("client_email", ""))
    safe = re.sub(r"[/\\:]", "_", project).replace(" ", "-")
    cred = double.credentials.add(f"vertex-{safe}.json", {
        "service_account": account, "project_id": project, "email": email, "location": location,
        "type": "vertex", "label": f"{project} ({email})"})
    return json_reply(200, {"auth-file": cred.path, "email": email, "location": location, "project_id": project,
                            "status": "ok"})


def v8_import(double: CpaDouble, req: Request) -> Reply:
    if req.arg("provider") != "vertex":
        return json_reply(404, {"error": "provider_not_found"})
    return vertex_import(double, req)


def _routes(prefix: str) -> dict[str, dict[str, Handler]]:
    return {
        prefix: {"GET": list_files, "POST": upload, "DELETE": delete},
        f"{prefix}/download": {"GET": download},
        f"{prefix}/status": {"PATCH": patch_status},
        f"{prefix}/fields": {"PATCH": patch_fields},
        f"{prefix}/models": {"GET": models},
        f"{prefix}/refresh": {"POST": refresh},
    }


AUTH_FILE_ROUTES: dict[str, dict[str, Handler]] = {**_routes("/auth-files"), "/vertex/import": {"POST": vertex_import}}
V8_CREDENTIAL_ROUTES: dict[str, dict[str, Handler]] = {**_routes("/credentials"), "/oauth/import": {"POST": v8_import}}
