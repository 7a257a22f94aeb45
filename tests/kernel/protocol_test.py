"""Jupyter protocol checks of the Workbench kernel, driven by jupyter_client (Debian's python3-jupyter-client).

Run with /usr/bin/python3 and JUPYTER_PATH pointing at an installed kernelspec. Prints one line per check
("PASS name" / "FAIL name: why") and a JSON line of timings; exits 1 if any check failed.
"""
import json, os, queue, sys, time, uuid
from jupyter_client.manager import KernelManager

KERNEL = sys.argv[1] if len(sys.argv) > 1 else ".net-csharp"
results, timings = [], {}

def check(name, ok, why=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + why), flush=True)

def reply(client, msg_id, channel="shell", timeout=60):
    get = client.get_control_msg if channel == "control" else client.get_shell_msg
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = get(timeout=deadline - time.time())
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") == msg_id:
            return m
    raise TimeoutError(f"no reply to {msg_id} on {channel}")

def outputs(client, msg_id, timeout=60):
    """IOPub messages of a request until its idle status."""
    got, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            m = client.get_iopub_msg(timeout=deadline - time.time())
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        got.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return got
    raise TimeoutError(f"no idle for {msg_id}")

def run(client, code, timeout=60):
    msg_id = client.execute(code)
    r = reply(client, msg_id, timeout=timeout)
    return r, outputs(client, msg_id, timeout=timeout)

t0 = time.time()
km = KernelManager(kernel_name=KERNEL)
km.start_kernel()
client = km.client()
client.start_channels()
try:
    # kernel_info on shell (also the start-up time) and on control.
    msg_id = client.kernel_info()
    r = reply(client, msg_id, timeout=30)
    timings["kernel_info_after_start_s"] = round(time.time() - t0, 3)
    check("kernel_info on shell", r["content"]["status"] == "ok" and r["content"]["language_info"]["name"] == "C#" and r["content"]["protocol_version"] >= "5.3", str(r["content"]))
    m = client.session.msg("kernel_info_request", {})
    client.control_channel.send(m)
    r = reply(client, m["header"]["msg_id"], channel="control")
    check("kernel_info on control", r["content"]["status"] == "ok", str(r["content"]))
    # IOPub is a subscription: wait until it delivers (ZeroMQ drops what is published before a subscriber joins).
    client.wait_for_ready(timeout=60)
    while True:
        try:
            client.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break

    # execute: state carried over, stream, execute_result, busy/idle, execute_input.
    r, io = run(client, "var x = 20; Console.WriteLine(\"hello\");")
    types = [m["msg_type"] for m in io]
    check("execute: status busy first and idle last", types[0] == "status" and io[0]["content"]["execution_state"] == "busy" and types[-1] == "status", str(types))
    check("execute: execute_input and stdout stream", "execute_input" in types and any(m["msg_type"] == "stream" and "hello" in m["content"]["text"] for m in io), str(types))
    r, io = run(client, "x * 2 + 2")
    res = [m for m in io if m["msg_type"] == "execute_result"]
    check("execute: the result of the last expression, state kept", r["content"]["status"] == "ok" and res and res[0]["content"]["data"]["text/plain"].strip() == "42", str(res))

    # errors leave the kernel alive.
    r, io = run(client, "int y = \"no\";")
    check("compile error reported", r["content"]["status"] == "error" and any(m["msg_type"] == "error" for m in io), str(r["content"]))
    r, io = run(client, "throw new InvalidOperationException(\"boom\");")
    check("exception reported", r["content"]["status"] == "error" and r["content"]["ename"] == "InvalidOperationException", str(r["content"]))
    r, io = run(client, "x + 1")
    check("kernel alive after errors", r["content"]["status"] == "ok", str(r["content"]))

    # display and update_display_data.
    r, io = run(client, "var h = display(\"first\"); h.Update(\"second\");")
    kinds = [m["msg_type"] for m in io]
    check("display_data then update_display_data", "display_data" in kinds and "update_display_data" in kinds, str(kinds))

    # completion and inspection from Roslyn.
    code = "x.ToStr"
    msg_id = client.complete(code, len(code))
    r = reply(client, msg_id)
    check("completion of a member", "ToString" in r["content"]["matches"] and r["content"]["cursor_start"] == 2, str(r["content"]))
    code = "Math.Ma"
    r = reply(client, client.complete(code, len(code)))
    check("completion of a static member", "Max" in r["content"]["matches"], str(r["content"]["matches"][:10]))
    code = "Math.Max(1, 2)"
    r = reply(client, client.inspect(code, 6))
    check("inspection", r["content"]["found"] and "Max" in r["content"]["data"]["text/plain"], str(r["content"]))
    r = reply(client, client.is_complete("for (int i = 0; i < 3; i++) {"))
    r2 = reply(client, client.is_complete("var z = 1;"))
    check("is_complete", r["content"]["status"] == "incomplete" and r2["content"]["status"] == "complete", str((r["content"], r2["content"])))
    m = client.session.msg("comm_info_request", {})
    client.shell_channel.send(m)
    r = reply(client, m["header"]["msg_id"])
    check("comm_info (empty)", r["content"]["status"] == "ok" and r["content"]["comms"] == {}, str(r["content"]))

    # a trivial cell's round trip, warm.
    best = 1e9
    for _ in range(10):
        t = time.time(); run(client, "1 + 1"); best = min(best, time.time() - t)
    timings["trivial_cell_round_trip_ms"] = round(best * 1000, 1)

    # interrupt an infinite loop; the next cell runs.
    loop = client.execute("while (true) { }")
    time.sleep(1.0)
    m = client.session.msg("interrupt_request", {})
    client.control_channel.send(m)
    r = reply(client, m["header"]["msg_id"], channel="control")
    check("interrupt_reply", r["content"]["status"] == "ok", str(r["content"]))
    r = reply(client, loop, timeout=30)
    check("the interrupted cell ends with an error", r["content"]["status"] == "error", str(r["content"]))
    outputs(client, loop)
    r, io = run(client, "x + 100")
    res = [m for m in io if m["msg_type"] == "execute_result"]
    check("a working cell after the interrupt", r["content"]["status"] == "ok" and res and "120" in res[0]["content"]["data"]["text/plain"], str(r["content"]))

    # a message with a wrong signature is dropped, never executed.
    session = client.session
    marker = "/tmp/wb-evil-" + uuid.uuid4().hex
    evil = session.msg("execute_request", {"code": "System.IO.File.WriteAllText(\"" + marker + "\", \"x\");", "silent": False,
                                           "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    parts = [session.pack(evil["header"]), session.pack(evil["parent_header"]), session.pack(evil["metadata"]), session.pack(evil["content"])]
    client.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"0" * 64] + parts)
    time.sleep(1.5)
    check("a badly signed message is not executed", not os.path.exists(marker), "the file was written")
    r, io = run(client, "x")
    check("kernel alive after the bad message", r["content"]["status"] == "ok", str(r["content"]))

    # a cell that ignores the interrupt (no loop of its own for LoopGuard to guard): the kernel ends the worker process
    # that runs the session after the grace period, says the session's state was lost, and goes on with a fresh
    # session; the old worker does not keep burning CPU.
    kernel_pid = getattr(km.provisioner, "pid", None) if getattr(km, "provisioner", None) else km.kernel.pid
    def children(pid):
        kids = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                kids += open(f"/proc/{pid}/task/{tid}/children").read().split()
            except OSError:
                pass
        return sorted(int(k) for k in kids)
    before = children(kernel_pid)
    spin = client.execute("System.Threading.SpinWait.SpinUntil(() => false);")
    time.sleep(2.0)
    m = client.session.msg("interrupt_request", {})
    client.control_channel.send(m)
    reply(client, m["header"]["msg_id"], channel="control")
    t = time.time()
    r = reply(client, spin, timeout=60)
    timings["runaway_interrupt_s"] = round(time.time() - t, 3)
    check("an interrupt that the cell ignores still ends it (within the grace period)", r["content"]["status"] == "error" and time.time() - t < 20, str(r["content"]))
    check("the error says that the session's state was lost", "state" in r["content"].get("evalue", "") and "lost" in r["content"].get("evalue", ""), str(r["content"]))
    outputs(client, spin)
    after = children(kernel_pid)
    def gone(pid):
        try:
            return ") Z " in open(f"/proc/{pid}/stat").read()
        except OSError:
            return True
    check("the runaway worker is gone and a fresh one runs", len(before) == 1 and len(after) == 1 and before != after and gone(before[0]), str((before, after)))
    r, io = run(client, "x")
    check("the fresh session has no state", r["content"]["status"] == "error", str(r["content"]))
    r, io = run(client, "6 * 7")
    res = [m for m in io if m["msg_type"] == "execute_result"]
    check("a working cell after the runaway", r["content"]["status"] == "ok" and res and res[0]["content"]["data"]["text/plain"].strip() == "42", str(r["content"]))

    # a cell that ends its process: only the worker ends; the kernel answers and goes on.
    r, io = run(client, "Environment.Exit(3);")
    check("Environment.Exit in a cell is an error of that cell", r["content"]["status"] == "error" and r["content"]["ename"] == "WorkerProcessExited" and "code 3" in r["content"]["evalue"], str(r["content"]))
    r, io = run(client, "1 + 1")
    check("the kernel works after a cell ended its worker", r["content"]["status"] == "ok", str(r["content"]))

    # restart: a fresh kernel process, with fresh state.
    km.restart_kernel(now=False)
    client.wait_for_ready(timeout=60)
    r, io = run(client, "1 + 2")
    res = [m for m in io if m["msg_type"] == "execute_result"]
    check("restart gives a working kernel", r["content"]["status"] == "ok" and res and res[0]["content"]["data"]["text/plain"].strip() == "3", str(r["content"]))
    r, io = run(client, "x")
    check("restart clears the state", r["content"]["status"] == "error", str(r["content"]))

    # shutdown.
    m = client.session.msg("shutdown_request", {"restart": False})
    client.control_channel.send(m)
    r = reply(client, m["header"]["msg_id"], channel="control")
    check("shutdown_reply", r["content"]["status"] == "ok", str(r["content"]))
    deadline = time.time() + 10
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.1)
    check("the process exits after shutdown", not km.is_alive(), "still running")
finally:
    client.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)
print(json.dumps(timings), flush=True)
import os
os._exit(0 if all(results) else 1)  # skip jupyter_client's noisy finalisers at interpreter exit
