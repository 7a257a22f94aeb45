using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Json;

namespace Workbench.Cli.Commands;

/// <summary>
/// The source-generated System.Text.Json contract of the manifest of a <c>workbench run</c> folder (<c>"kind": "notebooks"</c>),
/// read by <c>workbench verify</c> (<see cref="VerifyCommand"/>) and by <c>workbench run</c>, which keeps the entries of the
/// notebooks it does not rerun (both through <see cref="NotebookManifest.Read"/>). It lives in the command
/// line, the lowest module that reads it; <see cref="Contract"/> is built with <see cref="JsonInput.CreateOptions"/>, the options
/// every input contract shares (docs/file-formats.md, "Contracts"). Fields the reader does not use (<c>succeeded</c>,
/// <c>sdk</c>, and any other) are skipped, as they always were; <c>workbench run</c> copies a kept entry as written, with them.
/// </summary>
[JsonSerializable(typeof(NotebooksManifestContract))]
[JsonSerializable(typeof(IReadOnlyList<NotebookEntryContract>))]
internal sealed partial class NotebooksJson : JsonSerializerContext, IInputContract
{
    /// <summary>The contract, with the shared input options.</summary>
    public static NotebooksJson Contract { get; } = new(JsonInput.CreateOptions());

    /// <inheritdoc/>
    public object? NewDefault(Type type) =>
        type == typeof(NotebooksManifestContract) ? new NotebooksManifestContract()
        : type == typeof(NotebookEntryContract) ? new NotebookEntryContract()
        : null;

    /// <inheritdoc/>
    public string? KindMessage(Type expected, JsonNode? actual) =>
        expected == typeof(IReadOnlyList<NotebookEntryContract>) ? "must be an array of executed notebooks."
        : expected == typeof(NotebookEntryContract) ? "must be an object."
        : null;
}

/// <summary>
/// The top of a run manifest as this contract reads it: its <c>kind</c> (a non-string kind reads as null: the file is then not
/// a notebooks manifest and <c>workbench verify</c> reads it as a simulation or sweep manifest), and <c>notebooks</c>, kept as
/// a <see cref="JsonNode"/> because the kind decides whether it is read at all (then as a list of
/// <see cref="NotebookEntryContract"/>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record NotebooksManifestContract
{
    /// <summary>"notebooks" for a <c>workbench run</c> folder.</summary>
    [JsonConverter(typeof(KindField))] public string? Kind { get; init; }
    /// <summary>The executed notebooks.</summary>
    public JsonNode? Notebooks { get; init; }
}

/// <summary>One executed notebook of a run manifest.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record NotebookEntryContract
{
    /// <summary>The executed notebook's file name in the folder.</summary>
    [JsonConverter(typeof(NonEmptyTextField))] public string? Executed { get; init; }
    /// <summary>The source notebook, relative to the folder.</summary>
    [JsonConverter(typeof(NonEmptyTextField))] public string? Source { get; init; }
    /// <summary>SHA-256 of the source when it ran.</summary>
    [JsonConverter(typeof(TextField))] public string? SourceSha256 { get; init; }
    /// <summary>Git commit of the library.</summary>
    [JsonConverter(typeof(TextField))] public string? Commit { get; init; }
    /// <summary>Library version.</summary>
    [JsonConverter(typeof(TextField))] public string? Library { get; init; }
    /// <summary>Parameter name: value (kept as a node: keyed by parameter name; each value a string).</summary>
    public JsonNode? Parameters { get; init; }
}

/// <summary>A string, or null for any other value (never refused).</summary>
internal sealed class KindField : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}

/// <summary>A non-empty string; anything else (null included) is refused: "must be a non-empty string.".</summary>
internal sealed class NonEmptyTextField : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } s ? s : throw new JsonFieldException("must be a non-empty string.");

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}

/// <summary>A string or null; any other value is refused: "must be a string.".</summary>
internal sealed class TextField : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonFieldException("must be a string.");

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}
