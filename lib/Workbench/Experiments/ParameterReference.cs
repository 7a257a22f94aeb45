using System.Reflection;
using Workbench.Behaviour;

namespace Workbench.Experiments;

/// <summary>
/// The generated model parameter reference. It lives with the experiments because it enumerates every module of the
/// library (the documented records and the built-in channels), which only the top of the pipeline may see.
/// </summary>
public static class ParameterReference
{
    /// <summary>
    /// The model parameter reference (docs/parameters.md), generated from the [Param] metadata: for every documented type,
    /// each parameter's JSON name, type, meaning, unit, valid range, default (from a default instance, when the type has a
    /// parameterless constructor) and citation. <c>workbench docs</c> writes it; a test keeps the committed file in step.
    /// </summary>
    public static string Markdown()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("# Model parameters\n\n");
        sb.Append("Generated from the `[Param]` metadata of the library by `workbench docs --out docs/parameters.md`; do not edit by hand ");
        sb.Append("(a test fails when this file and the code disagree). Names are as in JSON specs and scenarios; ranges are enforced when a ");
        sb.Append("spec is validated, with errors naming the JSON path. MODEL.md explains the models; the citations are the published ");
        sb.Append("sources defaults were calibrated to.\n");
        foreach (var t in Parameters.DocumentedTypes())
        {
            object? defaults = null;
            if (!t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
                try { defaults = Activator.CreateInstance(t); } catch (TargetInvocationException) { }
            var doc = t.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description;
            sb.Append("\n## ").Append(t.Name).Append(" (`").Append(t.Namespace).Append("`)\n\n");
            if (doc is not null) sb.Append(doc).Append("\n\n");
            sb.Append("| parameter | type | meaning | unit | range | default | source |\n|---|---|---|---|---|---|---|\n");
            foreach (var p in Parameters.Describe(t, defaults))
            {
                string range = double.IsNegativeInfinity(p.Min) && double.IsPositiveInfinity(p.Max) ? "" : $"[{Parameters.Fmt(p.Min)}, {Parameters.Fmt(p.Max)}]";
                sb.Append("| `").Append(p.Name).Append("` | ").Append(p.Type).Append(" | ").Append(Cell(p.Description)).Append(" | ").Append(Cell(p.Unit ?? ""))
                  .Append(" | ").Append(range).Append(" | ").Append(Cell(p.Default ?? "")).Append(" | ").Append(Cell(p.Citation ?? "")).Append(" |\n");
            }
        }
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append("\n## Evidence presets\n\n");
        sb.Append("The named bundles of channel effects a scenario chooses with `\"evidence\"` (default `central`; `--evidence NAME` on ");
        sb.Append("`simulate` and `sweep plan`). docs/campaigns.md explains each figure and the unit conversion of the social-ads turnout effects.\n\n");
        var presets = EvidenceSet.PresetNames.Select(EvidenceSet.Preset).ToArray();
        sb.Append("| parameter | ").Append(string.Join(" | ", presets.Select(p => p.Name))).Append(" | source |\n|---|").Append(string.Concat(presets.Select(_ => "---|"))).Append("---|\n");
        foreach (var p in Parameters.Describe(typeof(EvidenceSet), EvidenceSet.Central))
        {
            var prop = typeof(EvidenceSet).GetProperties().First(x => Parameters.JsonName(x.Name) == p.Name);
            sb.Append("| `").Append(p.Name).Append("` | ").Append(string.Join(" | ", presets.Select(s => Convert.ToDouble(prop.GetValue(s), ci).ToString("G4", ci))))
              .Append(" | ").Append(Cell(p.Citation ?? "")).Append(" |\n");
        }
        sb.Append('\n');
        foreach (var p in presets) sb.Append("- `").Append(p.Name).Append("`: ").Append(Cell(p.Citation)).Append('\n');
        sb.Append("\n## Built-in channels and their calibration\n\n");
        sb.Append("The defaults of each built-in channel (scenarios may override any field) and the published figure it is calibrated to; ");
        sb.Append("chapter 11 and tests/Workbench.Tests/Experiments reproduce them by simulated field experiments.\n\n");
        sb.Append("| channel | kind | cost | turnout effect | persuasion effect | household spillover | source |\n|---|---|---|---|---|---|---|\n");
        foreach (var c in Channels.All)
            sb.Append("| `").Append(c.Name).Append("` | ").Append(c.Kind.ToString()).Append(" | ").Append(Parameters.Fmt(c.Cost)).Append(" | ").Append(c.TurnoutEffect.ToString("G4", ci))
              .Append(" | ").Append(c.PersuasionEffect.ToString("G4", ci)).Append(" | ").Append(c.HouseholdSpillover.ToString("G4", ci)).Append(" | ").Append(Cell(c.Citation ?? "")).Append(" |\n");
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
