#!/usr/bin/env python3
"""A channel-protocol WebSocket client for the streaming conformance tests.

Usage: ws_stream.py URL [--protocol P]... [--stdin TEXT] [--close-stdin] [--resize WxH]
                        [--send STREAM:TEXT]... [--close-after SECONDS]
Connects, sends stdin (and, with --close-stdin, the v5 close of stream 0), then reads until
the server closes. Prints one JSON object: the negotiated protocol, and the text received per
stream (keys are stream ids as strings), plus the list of (stream, bytes-length) frames; with
--portforward, the port that opened each stream under "ports".
"""
import argparse
import json
import sys
import time

import websocket


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--protocol", action="append", default=[])
    parser.add_argument("--stdin")
    parser.add_argument("--close-stdin", action="store_true")
    parser.add_argument("--resize")
    parser.add_argument("--send", action="append", default=[])
    parser.add_argument("--close-after", type=float)
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--portforward", action="store_true", help="strip the port that opens each stream")
    args = parser.parse_args()

    url = args.url.replace("http://", "ws://", 1)
    try:
        ws = websocket.create_connection(url, subprotocols=args.protocol or None, timeout=args.timeout)
    except websocket.WebSocketBadStatusException as error:
        print(json.dumps({"status": error.status_code, "body": (error.resp_body or b"").decode(errors="replace")}))
        return
    result = {"protocol": ws.getsubprotocol() or "", "streams": {}, "frames": []}
    if args.resize:
        width, height = args.resize.split("x")
        ws.send_binary(bytes([4]) + json.dumps({"Width": int(width), "Height": int(height)}).encode())
    if args.stdin is not None:
        ws.send_binary(b"\x00" + args.stdin.encode())
    for item in args.send:
        stream, text = item.split(":", 1)
        ws.send_binary(bytes([int(stream)]) + text.encode())
    if args.close_stdin:
        ws.send_binary(bytes([255, 0]))
    deadline = time.time() + args.close_after if args.close_after else None
    while True:
        if deadline and time.time() > deadline:
            ws.close()
            result["closed_by_client"] = True
            break
        try:
            if deadline:
                ws.settimeout(max(0.05, deadline - time.time()))
            opcode, data = ws.recv_data(control_frame=False)
        except websocket.WebSocketTimeoutException:
            if deadline:
                continue
            result["timeout"] = True
            break
        except websocket.WebSocketConnectionClosedException:
            break
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            break
        if not data:
            continue
        stream = str(data[0])
        result["frames"].append([data[0], len(data) - 1])
        payload = data[1:]
        if args.portforward and stream not in result["streams"]:
            result.setdefault("ports", {})[stream] = int.from_bytes(payload[:2], "little")
            payload = payload[2:]
        result["streams"][stream] = result["streams"].get(stream, "") + payload.decode(errors="replace")
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
