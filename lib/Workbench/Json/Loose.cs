using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Workbench.Json;

/// <summary>
/// A field of an input contract that the reader never refuses, for a format that reports every problem of a file at
/// once in its own words (a sensitivity parameters file): the generated reader stops at its first error, so such a
/// format's record declares its fields as <c>Loose&lt;T&gt;</c> and its parser checks <see cref="Ok"/> and words the
/// refusal, quoting <see cref="Raw"/>, next to every other error. A JSON null is not <see cref="Present"/> but is
/// <see cref="Given"/>, for a format that tells the two apart. <typeparamref name="T"/> is <see cref="string"/>,
/// <see cref="double"/>, <see cref="int"/> (a whole number in range), <see cref="bool"/>, <see cref="JsonObject"/> or
/// <see cref="JsonArray"/> (any object or array, kept as written), or a record or list that the same context declares with
/// <c>[JsonSerializable]</c> and whose own fields are loose (docs/file-formats.md, "Contracts").
/// </summary>
[JsonConverter(typeof(LooseConverterFactory))]
internal readonly struct Loose<T>
{
    /// <summary>A present value: <paramref name="raw"/> as written, and its reading when it has the kind <typeparamref name="T"/> reads.</summary>
    public Loose(JsonNode raw, bool ok, T value)
    {
        Raw = raw;
        Ok = ok;
        Value = value;
        IsNull = false;
    }

    private Loose(bool isNull)
    {
        Raw = null;
        Ok = false;
        Value = default!;
        IsNull = isNull;
    }

    /// <summary>A field given as JSON null.</summary>
    public static Loose<T> Null { get; } = new(isNull: true);

    /// <summary>True when the field is given as JSON null.</summary>
    public bool IsNull { get; }

    /// <summary>True when the field is in the file at all (a value or null).</summary>
    public bool Given => Present || IsNull;

    /// <summary>The value as written; null when the field is absent or null.</summary>
    public JsonNode? Raw { get; }

    /// <summary>True when the field is present (and not null).</summary>
    public bool Present => Raw is not null;

    /// <summary>True when the field is present and of the kind <typeparamref name="T"/> reads; then <see cref="Value"/> holds it.</summary>
    public bool Ok { get; }

    /// <summary>The value read (default unless <see cref="Ok"/>).</summary>
    public T Value { get; }

    /// <summary><see cref="Value"/> when <see cref="Ok"/>, else <paramref name="fallback"/>.</summary>
    public T Or(T fallback) => Ok ? Value : fallback;

    /// <summary>The value as written in JSON, or <paramref name="absent"/> when the field is absent.</summary>
    public string Quote(string absent = "nothing") => Raw?.ToJsonString() ?? absent;
}

/// <summary>Makes the converter of each <see cref="Loose{T}"/>.</summary>
internal sealed class LooseConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Loose<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(LooseConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

/// <summary>Reads any JSON value as a <see cref="Loose{T}"/>; writes the value as it was written (null when absent).</summary>
internal sealed class LooseConverter<T> : JsonConverter<Loose<T>>
{
    public override bool HandleNull => true;

    public override Loose<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader);
        if (node is null) return Loose<T>.Null;
        var kind = node.GetValueKind();
        object? value = null;
        bool ok;
        if (typeof(T) == typeof(string)) { ok = kind == JsonValueKind.String; if (ok) value = node.GetValue<string>(); }
        else if (typeof(T) == typeof(double)) { ok = kind == JsonValueKind.Number; if (ok) value = node.GetValue<double>(); }
        else if (typeof(T) == typeof(int)) { ok = kind == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var i); if (ok) value = node.GetValue<int>(); }
        else if (typeof(T) == typeof(bool)) { ok = kind is JsonValueKind.True or JsonValueKind.False; if (ok) value = node.GetValue<bool>(); }
        else if (typeof(T) == typeof(JsonObject) || typeof(T) == typeof(JsonArray)) { ok = node is T; if (ok) value = node; }
        else
        {
            var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            ok = info.Kind switch { JsonTypeInfoKind.Object => kind == JsonValueKind.Object, JsonTypeInfoKind.Enumerable => kind == JsonValueKind.Array, _ => false };
            if (ok) value = node.Deserialize(info);
        }
        return new Loose<T>(node, ok, ok ? (T)value! : default!);
    }

    public override void Write(Utf8JsonWriter writer, Loose<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Raw is null) writer.WriteNullValue(); else value.Raw.WriteTo(writer);
    }
}
