using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Kernel;

/// <summary>A kernelspec install would replace a different kernel of the same name.</summary>
public sealed class KernelSpecConflictException(string message) : Exception(message);

/// <summary>
/// Jupyter kernelspecs for the Workbench kernel: a folder <c>kernels/NAME</c> holding kernel.json whose argv
/// starts this tool with <c>kernel --connection-file {connection_file}</c>, language "C#" and
/// interrupt_mode "message" (interrupts arrive as control messages).
/// </summary>
public static class KernelSpec
{
    /// <summary>The default kernel name, which the curriculum's notebooks name in their metadata.</summary>
    public const string DefaultName = ".net-csharp";
    /// <summary>The default display name.</summary>
    public const string DefaultDisplayName = ".NET (C#) Workbench";

    /// <summary>The kernels folder for a scope: user (~/.local/share/jupyter), sys-prefix (the Python environment: $CONDA_PREFIX, $VIRTUAL_ENV or /usr/local) or an explicit prefix.</summary>
    public static string KernelsDirectory(string scope, string? prefix = null)
    {
        string root = scope switch
        {
            "user" => Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") ?? Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "jupyter"),
            "sys-prefix" => Path.Combine(Environment.GetEnvironmentVariable("CONDA_PREFIX") ?? Environment.GetEnvironmentVariable("VIRTUAL_ENV") ?? "/usr/local", "share", "jupyter"),
            "prefix" => Path.Combine(prefix ?? throw new ArgumentException("--prefix needs a folder."), "share", "jupyter"),
            _ => throw new ArgumentException($"Unknown scope '{scope}'."),
        };
        return Path.Combine(root, "kernels");
    }

    /// <summary>The command line that starts this tool: the apphost, or the dotnet host and the tool's dll.</summary>
    public static IReadOnlyList<string> ToolCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        bool host = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return host && entry is { Length: > 0 } ? [process, entry] : [process];
    }

    /// <summary>The kernel.json for a kernel started by <paramref name="command"/>.</summary>
    public static JsonObject KernelJson(IReadOnlyList<string> command, string displayName) => new()
    {
        ["argv"] = new JsonArray(command.Concat(["kernel", "--connection-file", "{connection_file}"]).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
        ["display_name"] = displayName,
        ["language"] = "C#",
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["workbench"] = true },
    };

    /// <summary>Installs a kernelspec; refuses to replace a different existing kernel of that name unless <paramref name="force"/>. Returns the folder.</summary>
    public static string Install(string kernelsDirectory, string name, string displayName, IReadOnlyList<string> command, bool force)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', ' ']) >= 0) throw new ArgumentException($"'{name}' is not a valid kernel name (no spaces or slashes).");
        var dir = Path.Combine(kernelsDirectory, name);
        var file = Path.Combine(dir, "kernel.json");
        var json = KernelJson(command, displayName);
        var text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (File.Exists(file) && !force)
        {
            var existing = File.ReadAllText(file);
            if (existing != text)
            {
                var e = JsonNode.Parse(existing);
                throw new KernelSpecConflictException($"A different kernel named '{name}' is installed at {dir}: display name '{e?["display_name"]}', argv {e?["argv"]?.ToJsonString()}. Use --force to replace it, or --name to install under another name.");
            }
        }
        Directory.CreateDirectory(dir);
        var tmp = file + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, text);
        File.Move(tmp, file, overwrite: true);
        return dir;
    }

    /// <summary>Removes a kernelspec; false when none was installed there.</summary>
    public static bool Uninstall(string kernelsDirectory, string name)
    {
        var dir = Path.Combine(kernelsDirectory, name);
        if (!Directory.Exists(dir)) return false;
        Directory.Delete(dir, recursive: true);
        return true;
    }
}
