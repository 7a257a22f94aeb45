using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Workbench.Notebooks.Engine;
using Workbench.Notebooks.Kernel;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench run-worker</c> (hidden, internal): the worker process in which <c>workbench run</c> runs each notebook
/// and <c>workbench kernel</c> runs its session, serving <see cref="WorkerHost"/> over standard input and output. Not
/// for people: its protocol is <see cref="WorkerSession"/>'s.
/// </summary>
internal sealed class RunWorkerCommand : CliCommand
{
    /// <summary>The subcommand's name, also what marks a worker in a process list.</summary>
    public const string Name = "run-worker";

    public override Command Build()
    {
        var cmd = new Command(Name, "Internal: the worker process of 'workbench run' and 'workbench kernel' (a JSON-lines protocol on stdin/stdout).") { Hidden = true };
        cmd.SetAction(_ =>
        {
            // Ctrl+C in a terminal reaches the whole process group: the parent decides (it sends a cancel, then ends this process).
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            return WorkerHost.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
        });
        return cmd;
    }

    /// <summary>
    /// The command line that starts a worker: this tool as it was started (the apphost, or the dotnet host and
    /// Workbench.Cli.dll) when it is the entry program; otherwise (the CLI hosted in another process, as the tests do)
    /// the dotnet host of this runtime with Workbench.Cli.dll.
    /// </summary>
    public static IReadOnlyList<string> Command()
    {
        var cli = typeof(RunWorkerCommand).Assembly;
        if (Assembly.GetEntryAssembly() == cli) return [.. KernelSpec.ToolCommand(), Name];
        return [DotnetHost(), cli.Location, Name];
    }

    private static string DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return process;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)) return h;
        // .../dotnet/shared/Microsoft.NETCore.App/VERSION/ → .../dotnet/dotnet
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
