using System.CommandLine;
using System.Reflection;
using System.Text.Json;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench version</c>: library, tool and runtime versions as JSON.</summary>
internal sealed class VersionCommand : CliCommand
{
    public override Command Build()
    {
        var cmd = new Command("version", "Print the versions of the Workbench library, the tool and the .NET runtime as JSON.");
        cmd.SetAction(_ =>
        {
            var info = new SortedDictionary<string, string>
            {
                ["workbench"] = Version(typeof(Workbench.Parameters).Assembly),
                ["cli"] = Version(typeof(Program).Assembly),
                ["runtime"] = Environment.Version.ToString(),
            };
            Console.WriteLine(JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    internal static string Version(Assembly a) =>
        a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";
}
