using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Json;

/// <summary>
/// Enums in input files are written exactly as the JSON Schemas list them: kebab-case names ("microtarget",
/// "nearest-marginal"), nothing else. System.Text.Json's own string-enum converter also accepts the C# name in any case
/// ("Microtarget", "NEARESTMARGINAL"), which the schemas (and VS Code) reject; this converter makes the parser agree with the
/// schemas. An unknown name is reported as "'X' is not one of a, b, c" at its JSON path (<see cref="JsonInput"/>).
/// </summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>Reads and writes one enum type by its kebab-case names only.</summary>
internal sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), v => v, StringComparer.Ordinal);
    private static readonly Dictionary<T, string> Names = ByName.ToDictionary(kv => kv.Value, kv => kv.Key);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // No message: the serializer then reports "could not be converted to T" with the path, which JsonInput words.
        if (reader.TokenType != JsonTokenType.String || !ByName.TryGetValue(reader.GetString()!, out var value)) throw new JsonException();
        return value;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(T).Name} has no value {value}."));
    }
}
