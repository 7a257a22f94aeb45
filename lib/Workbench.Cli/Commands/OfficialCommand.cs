using System.CommandLine;
using System.Text.Json.Nodes;
using Workbench.Elections;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench official [ID] [--input]</c>: real elections recomputed from their official votes
/// (the golden results of Elections.Golden). Without ID: every shipped result, one summary line each, exit 1 if any
/// recomputation differs from the declared seats. With ID: the party-by-party comparison, or with
/// --input the <c>workbench allocate</c> input that encodes the rule.
/// </summary>
internal sealed class OfficialCommand : CliCommand
{
    public override Command Build()
    {
        var id = new Argument<string?>("ID") { Description = $"An official result ({string.Join(", ", OfficialElection.Names)}); omit for all.", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<bool>("--input") { Description = "Print the 'workbench allocate' input for ID instead of the comparison." };
        var cmd = new Command("official", "Recompute real elections from their official votes and compare with the declared seats (sources cited in the output).") { id, input };
        cmd.SetAction(parse =>
        {
            var name = parse.GetValue(id);
            if (name is null)
            {
                if (parse.GetValue(input)) throw new UsageException("--input needs an ID.");
                var all = OfficialElection.CompareAll();
                var arr = new JsonArray(all.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Election.Id, ["title"] = c.Election.Title, ["method"] = ElectionJson.Name(c.Election.Input.Method),
                    ["seats"] = c.Rows.Sum(r => r.OfficialSeats), ["matches"] = c.Matches, ["source"] = c.Election.Source.Url,
                }).ToArray());
                Console.Out.WriteLine(arr.ToJsonString(AllocateCommand.Pretty));
                return all.All(c => c.Matches) ? ExitCodes.Ok : ExitCodes.Failed;
            }
            if (!OfficialElection.Names.Contains(name))
                throw new UsageException($"Unknown official election '{name}'. Shipped: {string.Join(", ", OfficialElection.Names)}.");
            var e = OfficialElection.Load(name);
            if (parse.GetValue(input))
            {
                Console.Out.WriteLine(JsonNode.Parse(e.InputJson)!.ToJsonString(AllocateCommand.Pretty));
                return ExitCodes.Ok;
            }
            var cmp = e.Compare();
            Console.Out.WriteLine(cmp.ToJson().ToJsonString(AllocateCommand.Pretty));
            return cmp.Matches ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }
}
