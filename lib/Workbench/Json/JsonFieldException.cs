using System.Text.Json;

namespace Workbench.Json;

/// <summary>
/// A value that a field's own converter refuses, in the format's own words (<c>must be a whole number.</c>,
/// <c>unknown method '"coin"'; expected one of …</c>). A converter of an input contract throws it from <c>Read</c>; the
/// serializer adds the path of the field, and <see cref="JsonInput.Deserialize{T}"/> reports the message as it is, at that
/// path followed by <see cref="SubPath"/> (e.g. <c>[1]</c> for the second element of an array the converter reads whole).
/// </summary>
public sealed class JsonFieldException : JsonException
{
    /// <summary>A refusal with its message (a sentence ending in a full stop) and the path inside the field, if any.</summary>
    public JsonFieldException(string message, string subPath = "") : base(message) => SubPath = subPath;

    /// <summary>Creates a refusal with a generic message ("is not valid."; prefer the constructor with the format's own words).</summary>
    public JsonFieldException() : this("is not valid.") { }

    /// <summary>Creates a refusal with a message (for serializers; prefer the other constructor).</summary>
    public JsonFieldException(string message, Exception innerException) : base(message, innerException) => SubPath = "";

    /// <summary>Where inside the field the refused value is (<c>[1]</c>, <c>.A</c>), or empty for the field itself.</summary>
    public string SubPath { get; } = "";
}
