using System.Text.Json.Nodes;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Elections;
using Workbench.Electorate;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>One input file format: its schema file name, what it is, its schema, and its parser.</summary>
/// <param name="Name">File name stem of schemas/NAME.schema.json.</param>
/// <param name="Title">What the format is.</param>
/// <param name="Schema">The JSON Schema (draft 2020-12), generated from the same contracts and rules the parser uses.</param>
/// <param name="Parse">Parses and validates a file's text (referenced files resolve against the given folder); throws
/// <see cref="SpecValidationException"/> on any problem.</param>
public sealed record FileFormat(string Name, string Title, Func<JsonObject> Schema, Action<string, string?> Parse);

/// <summary>
/// Every JSON input format of Workbench (docs/file-formats.md) with its schema and parser, so the committed schemas in
/// schemas/ are generated from one list (<c>workbench schema --out schemas</c>) and tests hold schema and parser to agree.
/// </summary>
public static class FileFormats
{
    /// <summary>The formats, in name order.</summary>
    public static IReadOnlyList<FileFormat> All { get; } =
    [
        new("allocate-input", "Input of workbench allocate: votes and the electoral rule", ElectionJson.AllocateSchema, (json, _) => ElectionJson.Parse(json)),
        new("electorate-spec", "Synthetic electorate spec (and the presets in data-synthetic/presets)", () => JsonSchemas.Of(ElectorateJson.Contract.ElectorateSpec), (json, _) => ElectorateSpec.FromJson(json).EnsureValid()),
        new("indices-input", "Input of workbench indices: votes and seats per party", ElectionJson.IndicesSchema, (json, _) => ElectionJson.ComputeIndices(json)),
        new("regime", "Data regime (data-synthetic/regimes)", () => JsonSchemas.Of(DataJson.Contract.DataRegime), (json, _) => DataRegime.FromJson(json)),
        new("scenario", "Campaign scenario (notebooks/scenarios)", Scenario.Schema, (json, dir) => Scenario.Parse(json, dir)),
        new("sensitivity-parameters", "Parameters of a sensitivity analysis (notebooks/sensitivity)", SensitivitySpec.Schema, (json, _) => SensitivitySpec.Parse(json)),
        new("sweep", "Parameter sweep (notebooks/sweeps)", SweepSpec.Schema, (json, dir) => SweepSpec.Parse(json, dir)),
        new("workshop-card", "Workshop scenario card (notebooks/workshop/cards)", WorkshopCard.Schema, (json, dir) => WorkshopCard.Parse(json, dir ?? Directory.GetCurrentDirectory())),
        new("workshop-questions", "Questions of the workshop cards (notebooks/workshop/cards/questions.json)", WorkshopCard.QuestionsSchema, (json, _) => WorkshopCard.ParseQuestions(json)),
    ];

    /// <summary>A format by name.</summary>
    public static FileFormat Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"Unknown format '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}.", nameof(name));

    /// <summary>The complete schema document of a format (draft, id, title, "$schema" accepted).</summary>
    public static JsonObject SchemaDocument(string name)
    {
        var f = Get(name);
        return JsonSchemas.Root(f.Schema(), f.Name, f.Title);
    }

    /// <summary>Writes DIR/NAME.schema.json for every format (atomically); returns the paths written.</summary>
    public static IReadOnlyList<string> WriteSchemas(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var f in All)
        {
            var path = Path.Combine(directory, f.Name + ".schema.json");
            Tables.AtomicFile.WriteAllText(path, JsonSchemas.ToText(SchemaDocument(f.Name)));
            written.Add(path);
        }
        return written;
    }
}
