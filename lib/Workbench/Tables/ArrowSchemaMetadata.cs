using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Workbench.Tables;

/// <summary>
/// The Arrow schema that <see cref="ParquetTableWriter"/> stores in a Parquet file under the key <see cref="Key"/>, as pyarrow
/// does: the Arrow IPC Schema message (continuation marker 0xFFFFFFFF, little-endian int32 metadata length, the flatbuffer,
/// padding to 8 bytes; no end-of-stream marker) in standard base64. Arrow's Parquet reader (pyarrow, pandas, Arrow C++) takes
/// each column's Arrow type and key/value metadata (a codebook entry) from it, and the schema's own metadata too: when a file has
/// "ARROW:schema", that reader's schema metadata is the stored schema's, not the file's other key/value entries, so the stored
/// schema repeats the file metadata (as pyarrow's writer does).
/// </summary>
internal static class ArrowSchemaMetadata
{
    /// <summary>The file key/value metadata key Arrow's Parquet reader reads the stored schema from.</summary>
    public const string Key = "ARROW:schema";

    /// <summary>
    /// The Arrow type of a column of element type <paramref name="type"/> as the writer stores it: string → utf8, int → int32,
    /// long → int64, short → int16, sbyte → int8, byte → uint8, float and <see cref="Half"/> → float32 (Half is written as the
    /// same values in single precision), double → float64.
    /// </summary>
    public static IArrowType TypeOf(Type type) =>
        type == typeof(string) ? StringType.Default
        : type == typeof(int) ? Int32Type.Default
        : type == typeof(long) ? Int64Type.Default
        : type == typeof(short) ? Int16Type.Default
        : type == typeof(sbyte) ? Int8Type.Default
        : type == typeof(byte) ? UInt8Type.Default
        : type == typeof(float) || type == typeof(Half) ? FloatType.Default
        : type == typeof(double) ? DoubleType.Default
        : throw new ArgumentException($"Unsupported column type {type.Name}.", nameof(type));

    /// <summary>
    /// The Arrow schema of a file with the columns of <paramref name="schema"/> (every field non-nullable, as every column is
    /// written REQUIRED), each field carrying the entries <paramref name="fieldMetadata"/> gives for its column name, in order,
    /// and the schema carrying the file's key/value metadata <paramref name="fileMetadata"/>, in order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A field metadata entry names no column; a column's metadata has an empty or repeated key; or the file metadata repeats a key.
    /// </exception>
    public static Schema Build(IReadOnlyList<(string Name, Type Type)> schema, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? fieldMetadata,
        IReadOnlyList<KeyValuePair<string, string>>? fileMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (fileMetadata is not null)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var kv in fileMetadata)
            {
                if (kv.Key is null || kv.Value is null) throw new ArgumentException("The file metadata has a null key or value.", nameof(fileMetadata));
                if (!keys.Add(kv.Key)) throw new ArgumentException($"The file metadata has the key '{kv.Key}' twice.", nameof(fileMetadata));
            }
        }
        if (fieldMetadata is not null)
        {
            var names = schema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (column, entries) in fieldMetadata)
            {
                if (!names.Contains(column))
                    throw new ArgumentException($"Field metadata is given for column '{column}', which the table does not have; columns: {string.Join(", ", schema.Select(c => c.Name))}.", nameof(fieldMetadata));
                ArgumentNullException.ThrowIfNull(entries, nameof(fieldMetadata));
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var kv in entries)
                {
                    if (string.IsNullOrEmpty(kv.Key)) throw new ArgumentException($"Field metadata of column '{column}' has an empty key.", nameof(fieldMetadata));
                    if (kv.Value is null) throw new ArgumentException($"Field metadata of column '{column}' has a null value for key '{kv.Key}'.", nameof(fieldMetadata));
                    if (!seen.Add(kv.Key)) throw new ArgumentException($"Field metadata of column '{column}' has the key '{kv.Key}' twice.", nameof(fieldMetadata));
                }
            }
        }
        var fields = schema.Select(c => new Field(c.Name, TypeOf(c.Type), nullable: false,
            fieldMetadata is not null && fieldMetadata.TryGetValue(c.Name, out var m) && m.Count > 0 ? m : null));
        return new Schema(fields, fileMetadata is { Count: > 0 } ? fileMetadata : null);
    }

    /// <summary>
    /// The IPC Schema message of <paramref name="schema"/> (what Arrow C++'s <c>ipc::SerializeSchema</c> returns and pyarrow
    /// stores), written by Apache.Arrow's stream writer with only the schema written: the bytes depend only on the schema.
    /// </summary>
    public static byte[] Serialize(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var ms = new MemoryStream();
        using (var writer = new ArrowStreamWriter(ms, schema, leaveOpen: true))
        {
            writer.WriteStart();
            // The stream so far is exactly the schema message: taken now, before anything else could be written.
            return ms.ToArray();
        }
    }

    /// <summary>The value stored under <see cref="Key"/>: the base64 of <see cref="Serialize"/> of <see cref="Build"/>.</summary>
    public static string Encode(IReadOnlyList<(string Name, Type Type)> schema, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? fieldMetadata,
        IReadOnlyList<KeyValuePair<string, string>>? fileMetadata) =>
        Convert.ToBase64String(Serialize(Build(schema, fieldMetadata, fileMetadata)));
}
