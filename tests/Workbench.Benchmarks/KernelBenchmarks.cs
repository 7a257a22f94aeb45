using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Notebooks.Kernel;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goals: kernel_info_reply within 3 s of starting the kernel process, and a trivial cell's round trip
/// (execute_request → execute_reply) under 50 ms warm. The client here is a minimal signed Jupyter client on
/// NetMQ; <c>tests/kernel/protocol_test.py</c> measures the same with jupyter_client.
/// Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Kernel*'</c>.
/// </summary>
[Config(typeof(SlowConfig))]
public class KernelBenchmarks
{
    private Process? _kernel;
    private DealerSocket? _shell;
    private MessageSigner _signer = new("");
    private string _dir = "";

    private static int FreePort() { var l = new TcpListener(IPAddress.Loopback, 0); l.Start(); int p = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); return p; }

    /// <summary>Starts `workbench kernel` as a process (as Jupyter does), connects a shell socket and waits for kernel_info_reply.</summary>
    private (Process Kernel, DealerSocket Shell, TimeSpan ToKernelInfo) Start()
    {
        _dir = Path.Combine(Path.GetTempPath(), "wb-kernel-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        string key = Guid.NewGuid().ToString();
        _signer = new MessageSigner(key);
        var ports = Enumerable.Range(0, 5).Select(_ => FreePort()).ToArray();
        var conn = Path.Combine(_dir, "connection.json");
        File.WriteAllText(conn, new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2],
            ["control_port"] = ports[3], ["hb_port"] = ports[4], ["key"] = key, ["signature_scheme"] = "hmac-sha256",
        }.ToJsonString());
        var cli = Path.Combine(AppContext.BaseDirectory, "Workbench.Cli.dll");
        if (!File.Exists(cli)) cli = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Workbench.Cli", "release", "Workbench.Cli.dll"));
        var sw = Stopwatch.StartNew();
        var p = Process.Start(new ProcessStartInfo("dotnet", [cli, "kernel", "--connection-file", conn]) { RedirectStandardError = true, WorkingDirectory = _dir })!;
        var shell = new DealerSocket();
        shell.Connect($"tcp://127.0.0.1:{ports[0]}");
        Request(shell, "kernel_info_request", new JsonObject());
        return (p, shell, sw.Elapsed);
    }

    private JsonObject Request(DealerSocket shell, string type, JsonObject content)
    {
        var header = new JsonObject { ["msg_id"] = Guid.NewGuid().ToString(), ["session"] = "bench", ["username"] = "bench", ["date"] = DateTime.UtcNow.ToString("o"), ["msg_type"] = type, ["version"] = "5.3" };
        byte[][] parts = [Encoding.UTF8.GetBytes(header.ToJsonString()), "{}"u8.ToArray(), "{}"u8.ToArray(), Encoding.UTF8.GetBytes(content.ToJsonString())];
        var msg = new NetMQMessage();
        msg.Append("<IDS|MSG>"); msg.Append(_signer.Sign(parts));
        foreach (var part in parts) msg.Append(part);
        shell.SendMultipartMessage(msg);
        var reply = shell.ReceiveMultipartMessage();
        int d = Enumerable.Range(0, reply.FrameCount).First(i => reply[i].ConvertToString() == "<IDS|MSG>");
        return (JsonObject)JsonNode.Parse(reply[d + 5].ConvertToString())!;
    }

    [GlobalSetup(Target = nameof(TrivialCell))]
    public void StartKernel()
    {
        (_kernel, _shell, _) = Start();
        Request(_shell, "execute_request", new JsonObject { ["code"] = "1 + 1", ["silent"] = false }); // warm
    }

    [GlobalCleanup(Target = nameof(TrivialCell))]
    public void StopKernel() => Stop(_kernel!, _shell!);

    private void Stop(Process kernel, DealerSocket shell)
    {
        try { Request(shell, "shutdown_request", new JsonObject { ["restart"] = false }); } catch (NetMQException) { }
        shell.Dispose();
        if (!kernel.WaitForExit(5000)) kernel.Kill(true);
        kernel.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Process start to kernel_info_reply.</summary>
    [Benchmark]
    public double StartToKernelInfo()
    {
        var (k, s, t) = Start();
        Stop(k, s);
        return t.TotalMilliseconds;
    }

    /// <summary>A trivial cell's round trip on a warm kernel.</summary>
    [Benchmark]
    public string TrivialCell() => Request(_shell!, "execute_request", new JsonObject { ["code"] = "1 + 1", ["silent"] = false })["status"]!.GetValue<string>();
}
