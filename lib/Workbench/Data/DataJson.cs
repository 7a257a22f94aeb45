using System.Text.Json.Serialization;
using Workbench.Json;

namespace Workbench.Data;

/// <summary>
/// The source-generated System.Text.Json contract of data regimes (read by <see cref="DataRegime.FromJson"/> and
/// <see cref="DataRegime.Read"/>, written by <see cref="DataRegime.ToJson"/>). <see cref="Contract"/> is built with
/// <see cref="JsonInput.CreateOptions"/>, the options every input contract shares (docs/file-formats.md, "Contracts").
/// </summary>
[JsonSerializable(typeof(DataRegime))]
internal sealed partial class DataJson : JsonSerializerContext, IInputContract
{
    /// <summary>The contract, with the shared input options.</summary>
    public static DataJson Contract { get; } = new(JsonInput.CreateOptions());

    /// <inheritdoc/>
    public object? NewDefault(Type type) => type == typeof(DataRegime) ? new DataRegime() : null;
}
