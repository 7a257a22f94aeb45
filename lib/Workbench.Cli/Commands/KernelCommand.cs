using System.CommandLine;
using Workbench.Notebooks.Kernel;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench kernel --connection-file FILE</c> runs the Jupyter kernel (docs/notebooks.md);
/// <c>workbench kernel install</c> and <c>workbench kernel uninstall</c> manage its kernelspec.
/// </summary>
internal sealed class KernelCommand : CliCommand
{
    public override Command Build()
    {
        var connection = new Option<string?>("--connection-file") { Description = "The connection file Jupyter passes to the kernel." };
        var cmd = new Command("kernel", "Run the Workbench C# kernel for Jupyter (VS Code, JupyterLab, nbclient), or install/uninstall its kernelspec.") { connection };
        cmd.SetAction(parse =>
        {
            var file = parse.GetValue(connection) ?? throw new UsageException("Give --connection-file FILE (Jupyter does this), or use 'workbench kernel install'.");
            if (!File.Exists(file)) throw new UsageException($"Connection file '{file}' does not exist.");
            ConnectionInfo info;
            try { info = ConnectionInfo.Load(file); }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException) { throw new UsageException(ex.Message); }
            int? parent = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) ? pid : ParentPid();
            using var kernel = new JupyterKernel(info, RunWorkerCommand.Command(), Directory.GetCurrentDirectory(), Console.Error);
            return kernel.Run(parent);
        });

        var name = new Option<string>("--name") { Description = "Kernel name (default .net-csharp, the name the curriculum's notebooks use).", DefaultValueFactory = _ => KernelSpec.DefaultName };
        var display = new Option<string>("--display-name") { Description = "Name shown in frontends.", DefaultValueFactory = _ => KernelSpec.DefaultDisplayName };
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default)." };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "Install into the Python environment ($CONDA_PREFIX, $VIRTUAL_ENV or /usr/local)." };
        var prefix = new Option<string?>("--prefix") { Description = "Install under DIR/share/jupyter/kernels." };
        var force = new Option<bool>("--force") { Description = "Replace a different kernel of the same name." };
        var install = new Command("install", "Write the kernelspec (kernel.json) so Jupyter frontends can start this kernel.") { name, display, user, sysPrefix, prefix, force };
        install.SetAction(parse =>
        {
            var dir = KernelsDirectory(parse.GetValue(user), parse.GetValue(sysPrefix), parse.GetValue(prefix));
            try
            {
                var at = KernelSpec.Install(dir, parse.GetValue(name)!, parse.GetValue(display)!, KernelSpec.ToolCommand(), parse.GetValue(force));
                Console.Out.WriteLine($"Installed kernelspec {parse.GetValue(name)} in {at}");
                return ExitCodes.Ok;
            }
            catch (KernelSpecConflictException ex) { throw new UsageException(ex.Message); }
        });
        var uname = new Option<string>("--name") { Description = "Kernel name (default .net-csharp).", DefaultValueFactory = _ => KernelSpec.DefaultName };
        var uuser = new Option<bool>("--user") { Description = "The user's kernels (the default)." };
        var usys = new Option<bool>("--sys-prefix") { Description = "The Python environment's kernels." };
        var uprefix = new Option<string?>("--prefix") { Description = "DIR/share/jupyter/kernels." };
        var uninstall = new Command("uninstall", "Remove the kernelspec.") { uname, uuser, usys, uprefix };
        uninstall.SetAction(parse =>
        {
            var dir = KernelsDirectory(parse.GetValue(uuser), parse.GetValue(usys), parse.GetValue(uprefix));
            if (!KernelSpec.Uninstall(dir, parse.GetValue(uname)!)) throw new UsageException($"No kernel named '{parse.GetValue(uname)}' in {dir}.");
            Console.Out.WriteLine($"Removed kernelspec {parse.GetValue(uname)} from {dir}");
            return ExitCodes.Ok;
        });
        cmd.Add(install);
        cmd.Add(uninstall);
        return cmd;
    }

    private static string KernelsDirectory(bool user, bool sysPrefix, string? prefix)
    {
        int given = (user ? 1 : 0) + (sysPrefix ? 1 : 0) + (prefix is null ? 0 : 1);
        if (given > 1) throw new UsageException("Give at most one of --user, --sys-prefix, --prefix DIR.");
        return prefix is not null ? KernelSpec.KernelsDirectory("prefix", Path.GetFullPath(prefix)) : KernelSpec.KernelsDirectory(sysPrefix ? "sys-prefix" : "user");
    }

    /// <summary>The parent process id (Linux /proc), so the kernel exits when whoever started it dies.</summary>
    private static int? ParentPid()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
    }
}
