using System.Text.Json.Serialization;
using Workbench.Json;

namespace Workbench.Electorate;

/// <summary>
/// The source-generated System.Text.Json contracts of the Electorate module's files: electorate specs and presets (read by
/// <see cref="ElectorateSpec.FromJson"/> and <see cref="ElectorateSpec.Read"/>, written by <see cref="ElectorateSpec.ToJson"/>)
/// and the codebook (<see cref="ElectorateExport.CodebookJson(Electorate)"/>). <see cref="Contract"/> is built with
/// <see cref="JsonInput.CreateOptions"/>, the options every input contract shares (docs/file-formats.md, "Contracts").
/// </summary>
[JsonSerializable(typeof(ElectorateSpec))]
[JsonSerializable(typeof(IReadOnlyList<ColumnInfo>))]
internal sealed partial class ElectorateJson : JsonSerializerContext, IInputContract
{
    /// <summary>The contracts, with the shared input options.</summary>
    public static ElectorateJson Contract { get; } = new(JsonInput.CreateOptions());

    /// <inheritdoc/>
    public object? NewDefault(Type type) =>
        type == typeof(ElectorateSpec) ? new ElectorateSpec()
        : type == typeof(PartySpec) ? new PartySpec()
        : type == typeof(DemographicTargets) ? new DemographicTargets()
        : type == typeof(TurnoutModelSpec) ? new TurnoutModelSpec()
        : type == typeof(VoterModelSpec) ? new VoterModelSpec()
        : null;
}
