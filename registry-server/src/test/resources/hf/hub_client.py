"""Drives the real huggingface_hub client against mlregistry for HuggingFaceClientTest.

Usage: hub_client.py download REPO_ID FILENAME REVISION | snapshot REPO_ID REVISION | info REPO_ID REVISION
Environment: HF_ENDPOINT, HF_HOME (the client's cache), and HF_TOKEN or none. Prints one JSON object:
{"path": ..., "commit": ...} on success, {"error": "<exception class>", "message": ...} on failure.
"""
import json
import os
import sys

import huggingface_hub
from huggingface_hub import hf_hub_download, model_info, snapshot_download


def main(argv):
    command = argv[1]
    token = os.environ.get("HF_TOKEN") or False  # False: never a token saved elsewhere on this machine
    try:
        if command == "download":
            path = hf_hub_download(repo_id=argv[2], filename=argv[3], revision=argv[4], token=token)
            # .../snapshots/<commit>/<filename>
            commit = os.path.relpath(path, os.environ["HF_HOME"]).split(os.sep)[3]
            result = {"path": path, "commit": commit}
        elif command == "snapshot":
            folder = snapshot_download(repo_id=argv[2], revision=argv[3], token=token)
            files = sorted(
                os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
                for root, _, names in os.walk(folder)
                for name in names
            )
            result = {"path": folder, "commit": os.path.basename(folder), "files": files}
        elif command == "info":
            info = model_info(argv[2], revision=argv[3], token=token)
            result = {"id": info.id, "commit": info.sha, "files": [s.rfilename for s in info.siblings or []]}
        else:
            raise SystemExit("unknown command " + command)
    except Exception as e:  # the test asserts on the client's own exception class
        result = {"error": type(e).__name__, "message": str(e)}
    result["version"] = huggingface_hub.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
