using System.CommandLine;
using Workbench.Cli.Commands;
using Workbench.Electorate;

namespace Workbench.Cli;

/// <summary>
/// The electorate options shared by commands that analyse a generated electorate (areas, swing, schedule):
/// --preset NAME | --spec FILE, --voters N and --seed S, with one validation and one generation path.
/// </summary>
internal sealed class ElectorateOptions
{
    public Option<string?> Preset { get; } = new("--preset") { Description = "A built-in electorate preset." };
    public Option<string?> Spec { get; } = new("--spec") { Description = "An electorate spec file (JSON)." };
    public Option<int?> Voters { get; } = new("--voters") { Description = "Number of voters (default: the spec's defaultVoters)." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => Random.Seeds.Default };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command cmd) { cmd.Options.Add(Preset); cmd.Options.Add(Spec); cmd.Options.Add(Voters); cmd.Options.Add(Seed); }

    /// <summary>The spec the user named (preset or file); a usage error otherwise.</summary>
    public ElectorateSpec ResolveSpec(ParseResult parse) => ElectorateCommand.ResolveSpec(parse.GetValue(Preset), parse.GetValue(Spec));

    /// <summary>The seed given (or the default).</summary>
    public int SeedOf(ParseResult parse) => parse.GetValue(Seed);

    /// <summary>Checks --voters against its range and the memory the electorate and the analysis need (usage errors), before anything is allocated.</summary>
    public void CheckMemory(ParseResult parse, ElectorateSpec spec) =>
        Limits.CheckVoters("--voters", parse.GetValue(Voters) ?? spec.DefaultVoters, Limits.MinSimulationVoters, Limits.MaxSimulationVoters,
            2 * Limits.ElectorateBytesFor(spec.IssueCount)); // the electorate, and about as much again for the analysis's own per-voter arrays

    /// <summary>Generates the electorate of a resolved spec, after checking --voters (<see cref="CheckMemory"/>).</summary>
    public Electorate.Electorate Generate(ParseResult parse, ElectorateSpec spec)
    {
        CheckMemory(parse, spec);
        return Electorates.Generate(spec, parse.GetValue(Voters) ?? spec.DefaultVoters, parse.GetValue(Seed));
    }
}
