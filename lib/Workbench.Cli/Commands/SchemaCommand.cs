using System.CommandLine;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench schema [--out DIR]</c>: writes the JSON Schema (draft 2020-12) of every input file format — scenario,
/// sweep, electorate spec, regime, allocate input, indices input, workshop card and its questions, sensitivity parameters — to DIR/NAME.schema.json (default
/// schemas/), generated from the same contracts the parsers use (docs/file-formats.md).
/// </summary>
internal sealed class SchemaCommand : CliCommand
{
    public override Command Build()
    {
        var output = new Option<string>("--out") { Description = "Folder for the NAME.schema.json files.", DefaultValueFactory = _ => "schemas" };
        var cmd = new Command("schema", $"Write the JSON Schema of every input file format ({string.Join(", ", FileFormats.All.Select(f => f.Name))}) to DIR/NAME.schema.json.") { output };
        cmd.SetAction(parse =>
        {
            string dir = Outputs.Folder(parse.GetValue(output)!, "--out");
            foreach (var path in FileFormats.WriteSchemas(dir)) Console.Out.WriteLine(path);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
