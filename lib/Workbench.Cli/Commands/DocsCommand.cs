using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench docs [--out docs/parameters.md]</c>: the model parameter reference generated from the [Param] metadata.</summary>
internal sealed class DocsCommand : CliCommand
{
    public override Command Build()
    {
        var output = new Option<string?>("--out") { Description = "Write the reference here (e.g. docs/parameters.md) instead of printing it." };
        var cmd = new Command("docs", "Print or write the model parameter reference (name, type, meaning, unit, range, default, citation), generated from the library's parameter metadata.") { output };
        cmd.SetAction(parse =>
        {
            var md = Workbench.Experiments.ParameterReference.Markdown();
            if (parse.GetValue(output) is string path)
            {
                Outputs.File(path, "--out");
                Tables.AtomicFile.WriteAllText(path, md);
                Console.Out.WriteLine($"Wrote {Parameters.DocumentedTypes().Count} parameter tables to {path}");
            }
            else Console.Out.Write(md);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
