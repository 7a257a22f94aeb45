namespace Workbench.Json;

/// <summary>
/// A source-generated <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> of input records that can also make
/// the default instance of each record it reads. The .NET 10 generator passes every <c>init</c> property to the object
/// initializer, so one absent from the JSON would be set to null or 0 instead of keeping its default;
/// <see cref="JsonInput.Deserialize{T}"/> fills each absent one from this instance first, so a field left out of a file
/// keeps the default the record declares (as the reflection reader did). Every context the input path reads through
/// implements it (docs/file-formats.md, "Contracts").
/// </summary>
public interface IInputContract
{
    /// <summary>
    /// A new instance of <paramref name="type"/> made with its parameterless constructor (so it holds the declared defaults),
    /// or null when the context has no such record.
    /// </summary>
    object? NewDefault(Type type);

    /// <summary>
    /// The message for a field that <paramref name="record"/> does not have, whose fields are <paramref name="fields"/> (their
    /// JSON names in declaration order), or null for the shared wording <c>unknown field.</c>. A format whose messages name
    /// its known fields keeps them through this.
    /// </summary>
    string? UnknownFieldMessage(Type record, IReadOnlyList<string> fields) => null;

    /// <summary>
    /// The message for a value of the wrong kind where the contract reads a <paramref name="expected"/> (a record, a list),
    /// given the value found (<paramref name="actual"/>), or null for the shared wording <c>expected an object, got a number.</c>.
    /// </summary>
    string? KindMessage(Type expected, System.Text.Json.Nodes.JsonNode? actual) => null;
}
