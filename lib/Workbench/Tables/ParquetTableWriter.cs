using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Workbench.Tables;

/// <summary>
/// The one Parquet writer of the workbench: writes <see cref="ColumnTable"/> row groups to a stream as an uncompressed
/// Parquet file (format version 1, every column required), one row group per <see cref="WriteRowGroup(ColumnTable)"/> call, so a
/// table too large for one buffer (a 10-million-voter electorate) is written a slice at a time.
/// </summary>
/// <remarks>
/// <para>Encoding, chosen by measurement (docs/electorate.md, "Parquet format"): a column chunk whose values have at most 65,536 distinct values is
/// dictionary-encoded (a PLAIN dictionary page in first-appearance order, then RLE/bit-packed indices of the smallest bit width);
/// other chunks are PLAIN. Byte, signed-byte, 16-bit and <see cref="Half"/> columns find their dictionary through a direct
/// table, other types through a hash table. No compression: on the electorate the encodings alone make the file smaller than
/// Snappy did, and compression costs more time than it saves in writing.</para>
/// <para>Types: string → BYTE_ARRAY (STRING); int → INT32; long → INT64; short → INT32 (INTEGER(16, signed)); sbyte → INT32
/// (INTEGER(8, signed)); byte → INT32 (INTEGER(8, unsigned)); float → FLOAT; double → DOUBLE; <see cref="Half"/> → FLOAT holding
/// the exact half-precision values (the FLOAT16 logical type is not used because Parquet.Net 6.1.0, which reads these files,
/// cannot open a file that has it). File key-value metadata is written in the order given, followed by the Arrow schema of the
/// columns under "ARROW:schema" (see <see cref="ArrowSchemaMetadata"/>): the Arrow type of each column, every field non-nullable,
/// each field's key/value metadata (a codebook entry) when given, which is where pyarrow and pandas read per-column metadata
/// from, and the file metadata again as the schema's own (which is what Arrow's reader then shows as the schema metadata).</para>
/// <para>Column chunks of a row group are encoded in parallel (at most <c>threads</c> at once) and written in schema order,
/// each as soon as the chunks before it are written (so the stream is written by one thread at a time, not necessarily the
/// caller's); each chunk's bytes depend only on its values, so the file is identical whatever the thread count. A large
/// table held elsewhere (the electorate's arrays) is written without copying through the internal column sources
/// (<see cref="ColumnSource"/>), with the same bytes as a <see cref="ColumnTable"/> of the same values.</para>
/// </remarks>
public sealed class ParquetTableWriter : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly Stream _stream;
    private readonly (string Name, Type Type)[] _schema;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _metadata;
    private readonly string _arrowSchema;
    private readonly int _threads;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private long _position, _rows;
    private bool _finished;

    /// <summary>Starts a file on <paramref name="stream"/> (written from its current position) for tables with the columns of <paramref name="schema"/>.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <param name="schema">Column names and element types (string, int, long, short, sbyte, byte, float, double or Half), in file order.</param>
    /// <param name="metadata">File key-value metadata (for example a codebook), in order; null for none.</param>
    /// <param name="threads">Column chunks encoded at once (1–1024); the bytes do not depend on it.</param>
    /// <param name="fieldMetadata">
    /// Per-column key/value metadata (for example a column's codebook entry), by column name, each column's entries in order; null
    /// or a column left out for none. Stored as the fields' metadata of the Arrow schema under "ARROW:schema".
    /// </param>
    /// <exception cref="ArgumentException">
    /// A column has an unsupported type; <paramref name="metadata"/> has the key "ARROW:schema" (the writer's own) or a key twice; or
    /// <paramref name="fieldMetadata"/> names a column the schema does not have or repeats a key within a column.
    /// </exception>
    public ParquetTableWriter(Stream stream, IReadOnlyList<(string Name, Type Type)> schema, IReadOnlyList<KeyValuePair<string, string>>? metadata = null, int threads = 1,
        IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? fieldMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 1024);
        foreach (var (name, type) in schema)
            if (!ColumnTable.IsSupported(type)) throw new ArgumentException($"Column '{name}' has unsupported type {type.Name}.", nameof(schema));
        if (metadata is not null && metadata.Any(kv => kv.Key == ArrowSchemaMetadata.Key))
            throw new ArgumentException($"The file metadata may not have the key '{ArrowSchemaMetadata.Key}': the writer stores the Arrow schema under it (give per-column metadata as fieldMetadata).", nameof(metadata));
        _arrowSchema = ArrowSchemaMetadata.Encode(schema, fieldMetadata, metadata);
        _stream = stream;
        _schema = schema.ToArray();
        _metadata = metadata ?? [];
        _threads = threads;
        _stream.Write(Magic);
        _position = Magic.Length;
    }

    /// <summary>Rows written so far.</summary>
    public long RowCount => _rows;

    /// <summary>Appends <paramref name="table"/> as one row group; its columns must match the schema in name, type and order.</summary>
    public void WriteRowGroup(ColumnTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        WriteRowGroup(table.Columns.Select(c => ColumnSource.Of(c.Name, c.Values)).ToArray(), 0, table.RowCount);
    }

    /// <summary>
    /// Appends rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of <paramref name="columns"/>
    /// as one row group, encoding each column straight from its storage (no copy into a table first); the columns must match
    /// the schema in name, type and order. The bytes are those of <see cref="WriteRowGroup(ColumnTable)"/> with the same values.
    /// </summary>
    internal void WriteRowGroup(IReadOnlyList<ColumnSource> columns, int start, int count)
    {
        if (_finished) throw new InvalidOperationException("The file is already finished.");
        if (columns.Count != _schema.Length || columns.Where((c, j) => c.Name != _schema[j].Name || c.Type != _schema[j].Type).Any())
            throw new ArgumentException("The table's columns (" + string.Join(", ", columns.Select(c => $"{c.Name}:{c.Type.Name}")) + ") differ from the writer's ("
                + string.Join(", ", _schema.Select(c => $"{c.Name}:{c.Type.Name}")) + ").", nameof(columns));
        var chunks = new EncodedChunk?[_schema.Length];
        var cols = new ColumnChunkMeta[_schema.Length];
        long total = 0;
        int next = 0;                    // the first chunk not yet written
        var order = new object();
        // Chunks are written in schema order as soon as they and all before them are encoded, by whichever thread finished the
        // last of them, so that copying one chunk to the stream overlaps encoding the next.
        void WriteReady()
        {
            lock (order)
            {
                while (next < chunks.Length && chunks[next] is { } c)
                {
                    long at = _position;
                    foreach (var part in c.Parts) _stream.Write(part.AsSpan());
                    _position += c.Length;
                    total += c.Length;
                    cols[next] = new ColumnChunkMeta(at, at + c.DataOffset, c.Length, c.Dictionary);
                    c.Dispose();
                    next++;
                }
            }
        }
        try
        {
            Parallel.For(0, _schema.Length, new ParallelOptions { MaxDegreeOfParallelism = _threads }, j =>
            {
                var c = columns[j].Encode(start, count);
                Volatile.Write(ref chunks[j], c);
                if (Monitor.TryEnter(order)) { try { WriteReady(); } finally { Monitor.Exit(order); } }
            });
            WriteReady();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // One failure (a full disk while a worker wrote to the stream): thrown as itself, as a write on this thread would be.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            foreach (var c in chunks) c?.Dispose();
        }
        _rowGroups.Add(new RowGroupMeta(cols, total, count));
        _rows += count;
    }

    /// <summary>Writes the footer (schema, row groups, key-value metadata); the file is complete after this.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        using var buffer = new ByteWriter(4096);
        WriteFileMetaData(new ThriftWriter(buffer));
        var footer = buffer.ToArray();
        _stream.Write(footer);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, footer.Length);
        _stream.Write(len);
        _stream.Write(Magic);
    }

    /// <summary>Finishes the file if <see cref="Finish"/> was not called (the stream is left open).</summary>
    public void Dispose() => Finish();

    private void WriteFileMetaData(ThriftWriter t)
    {
        t.I32(1, 1);                                                     // version
        t.ListBegin(2, ThriftWriter.Struct, _schema.Length + 1);         // schema: the root, then one element per column
        t.StructBegin(); t.String(4, "schema"); t.I32(5, _schema.Length); t.StructEnd();
        foreach (var (name, type) in _schema)
        {
            var (physical, converted, intBits, intSigned, isString) = Physical(type);
            t.StructBegin();
            t.I32(1, physical);
            t.I32(3, 0);                                                 // REQUIRED
            t.String(4, name);
            if (converted >= 0) t.I32(6, converted);
            if (isString) { t.FieldBegin(10, ThriftWriter.Struct); t.FieldBegin(1, ThriftWriter.Struct); t.StructEnd(); t.StructEnd(); }
            else if (intBits > 0)
            {
                t.FieldBegin(10, ThriftWriter.Struct); t.FieldBegin(10, ThriftWriter.Struct);
                t.Byte(1, (byte)intBits); t.Bool(2, intSigned); t.StructEnd(); t.StructEnd();
            }
            t.StructEnd();
        }
        t.I64(3, _rows);
        t.ListBegin(4, ThriftWriter.Struct, _rowGroups.Count);
        foreach (var rg in _rowGroups)
        {
            t.StructBegin();
            t.ListBegin(1, ThriftWriter.Struct, rg.Columns.Length);
            for (int j = 0; j < rg.Columns.Length; j++)
            {
                var c = rg.Columns[j];
                t.StructBegin();
                t.I64(2, c.Start);                                       // file_offset
                t.FieldBegin(3, ThriftWriter.Struct);                    // meta_data
                t.I32(1, Physical(_schema[j].Type).Physical);
                if (c.Dictionary) { t.ListBegin(2, ThriftWriter.I32Type, 3); t.ListI32(0); t.ListI32(3); t.ListI32(8); }
                else { t.ListBegin(2, ThriftWriter.I32Type, 2); t.ListI32(0); t.ListI32(3); }
                t.ListBegin(3, ThriftWriter.Binary, 1); t.ListString(_schema[j].Name);
                t.I32(4, 0);                                             // UNCOMPRESSED
                t.I64(5, rg.Rows);
                t.I64(6, c.Length); t.I64(7, c.Length);
                t.I64(9, c.DataPage);
                if (c.Dictionary) t.I64(11, c.Start);
                t.StructEnd();
                t.StructEnd();
            }
            t.I64(2, rg.TotalBytes);
            t.I64(3, rg.Rows);
            t.StructEnd();
        }
        t.ListBegin(5, ThriftWriter.Struct, _metadata.Count + 1);
        foreach (var kv in _metadata.Append(KeyValuePair.Create(ArrowSchemaMetadata.Key, _arrowSchema))) { t.StructBegin(); t.String(1, kv.Key); t.String(2, kv.Value); t.StructEnd(); }
        t.String(6, "Workbench.Tables.ParquetTableWriter");
        t.StructEnd();
    }

    /// <summary>Physical type, converted type (−1 none), integer logical type width (0 none) and sign, string flag.</summary>
    internal static (int Physical, int Converted, int IntBits, bool IntSigned, bool IsString) Physical(Type t) =>
        t == typeof(string) ? (6, 0, 0, false, true)
        : t == typeof(int) ? (1, -1, 0, true, false)
        : t == typeof(long) ? (2, -1, 0, true, false)
        : t == typeof(short) ? (1, 16, 16, true, false)
        : t == typeof(sbyte) ? (1, 15, 8, true, false)
        : t == typeof(byte) ? (1, 11, 8, false, false)
        : t == typeof(float) || t == typeof(Half) ? (4, -1, 0, false, false)
        : t == typeof(double) ? (5, -1, 0, false, false)
        : throw new ArgumentException($"Unsupported column type {t.Name}.", nameof(t));

    private sealed record ColumnChunkMeta(long Start, long DataPage, long Length, bool Dictionary);
    private sealed record RowGroupMeta(ColumnChunkMeta[] Columns, long TotalBytes, long Rows);

}

/// <summary>An encoded column chunk: its byte parts in order, whether it starts with a dictionary page, and where (from the chunk's start) its data page starts.</summary>
internal sealed class EncodedChunk(IReadOnlyList<ByteWriter> parts, bool dictionary, long dataOffset) : IDisposable
{
    public IReadOnlyList<ByteWriter> Parts { get; } = parts;
    public bool Dictionary { get; } = dictionary;
    public long DataOffset { get; } = dataOffset;
    public long Length => Parts.Sum(p => (long)p.Length);
    public void Dispose() { foreach (var p in Parts) p.Dispose(); }
}

/// <summary>
/// One column of a row group as <see cref="ParquetTableWriter"/> reads it: a name, the element type written, and how to encode
/// rows [start, start + count) into a column chunk. Sources read their storage directly (a strided view of an interleaved
/// array, byte codes through a table of values), so a large table is written without first copying it into row-group slices.
/// </summary>
internal abstract class ColumnSource(string name, Type type)
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;

    /// <summary>The element type written (string, int, long, short, sbyte, byte, float, double or Half).</summary>
    public Type Type { get; } = type;

    /// <summary>Encodes rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as one column chunk.</summary>
    public abstract EncodedChunk Encode(int start, int count);

    /// <summary>The values of an array column (a <see cref="ColumnTable"/>'s).</summary>
    public static ColumnSource Of(string name, Array values) => new ArraySource(name, values);

    /// <summary>Element <c>i × stride + offset</c> of <paramref name="values"/> is row i's value (one field of an interleaved array).</summary>
    public static ColumnSource Strided<T>(string name, T[] values, int stride, int offset) where T : unmanaged =>
        new StridedSource<T>(name, values, stride, offset);

    /// <summary>
    /// Row i's value is <c>table[codes[i × stride + offset]]</c>: byte codes of float values (for example a probability p stored
    /// as the byte p × 255). The table's used entries must be distinct values (as bits), so that the codes' dictionary is the values'.
    /// </summary>
    public static ColumnSource Coded(string name, byte[] codes, int stride, int offset, float[] table) => new CodedSource(name, codes, stride, offset, table);

    /// <summary>Rows copied by <paramref name="slice"/> (start, count, an array to reuse or null) into an array, then encoded; the array is reused from chunk to chunk.</summary>
    public static ColumnSource Sliced(string name, Type type, Func<int, int, Array?, Array> slice) => new SlicedSource(name, type, slice);

    private sealed class ArraySource(string name, Array values) : ColumnSource(name, values.GetType().GetElementType()!)
    {
        public override EncodedChunk Encode(int start, int count) => ColumnEncoder.Encode(values, start, count);
    }

    private sealed class StridedSource<T>(string name, T[] values, int stride, int offset) : ColumnSource(name, typeof(T)) where T : unmanaged
    {
        public override EncodedChunk Encode(int start, int count) => ColumnEncoder.EncodeStrided(values, stride, offset, start, count);
    }

    private sealed class CodedSource(string name, byte[] codes, int stride, int offset, float[] table) : ColumnSource(name, typeof(float))
    {
        public override EncodedChunk Encode(int start, int count) => ColumnEncoder.EncodeCoded(codes, stride, offset, start, count, table);
    }

    private sealed class SlicedSource(string name, Type type, Func<int, int, Array?, Array> slice) : ColumnSource(name, type)
    {
        private Array? _buffer;

        public override EncodedChunk Encode(int start, int count)
        {
            _buffer = slice(start, count, _buffer);
            return ColumnEncoder.Encode(_buffer, 0, count);
        }
    }
}

/// <summary>Encodes one column chunk: dictionary page + RLE_DICTIONARY data page, or one PLAIN data page.</summary>
internal static class ColumnEncoder
{
    /// <summary>The most distinct values a dictionary may hold.</summary>
    internal const int MaxDictionary = 1 << 16;

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="n"/>) of an array column.</summary>
    public static EncodedChunk Encode(Array values, int start, int n) => values switch
    {
        sbyte[] a when a.GetType() == typeof(sbyte[]) => EncodeStrided(a, 1, 0, start, n),
        byte[] a => EncodeStrided(a, 1, 0, start, n),
        short[] a => EncodeStrided(a, 1, 0, start, n),
        Half[] a => EncodeStrided(a, 1, 0, start, n),
        int[] a => Hashed32<int, Keys>(a.AsSpan(start, n), static (ByteWriter d, int x) => d.I32(x), PlainI32),
        float[] a => Hashed32<float, Keys>(a.AsSpan(start, n), static (ByteWriter d, float x) => d.F32(x), PlainF32),
        long[] a => Hashed(a.AsSpan(start, n), static x => x, static (ByteWriter d, long x) => d.I64(x)),
        double[] a => Hashed(a.AsSpan(start, n), static x => BitConverter.DoubleToInt64Bits(x), static (ByteWriter d, double x) => d.F64(x)),
        string[] a => Hashed(a.AsSpan(start, n), static x => x ?? "", static (ByteWriter d, string x) => d.Str(x ?? "")),
        _ => throw new ArgumentException($"Unsupported column type {values.GetType().GetElementType()?.Name}.", nameof(values)),
    };

    /// <summary>Rows [start, start + n) of a strided view (element i × stride + offset is row i) of a 1- or 2-byte column.</summary>
    public static EncodedChunk EncodeStrided<T>(T[] values, int stride, int offset, int start, int n) where T : unmanaged
    {
        CheckStrided(values.Length, stride, offset, start, n);
        if (typeof(T) == typeof(byte)) return Direct<byte, Keys>((byte[])(object)values, stride, offset, start, n, 256, static (ByteWriter d, byte x) => d.I32(x));
        if (typeof(T) == typeof(sbyte)) return Direct<sbyte, Keys>((sbyte[])(object)values, stride, offset, start, n, 256, static (ByteWriter d, sbyte x) => d.I32(x));
        if (typeof(T) == typeof(short)) return Direct<short, Keys>((short[])(object)values, stride, offset, start, n, 65536, static (ByteWriter d, short x) => d.I32(x));
        if (typeof(T) == typeof(Half)) return Direct<Half, Keys>((Half[])(object)values, stride, offset, start, n, 65536, static (ByteWriter d, Half x) => d.F32((float)x));
        throw new ArgumentException($"Strided columns are byte, sbyte, short or Half; got {typeof(T).Name}.", nameof(values));
    }

    /// <summary>
    /// Rows [start, start + n) of float values given as byte codes into <paramref name="table"/>: the same bytes as the float
    /// column <c>table[code]</c> when the table's used entries are distinct, found through a 256-entry table instead of hashing.
    /// </summary>
    public static EncodedChunk EncodeCoded(byte[] codes, int stride, int offset, int start, int n, float[] table)
    {
        CheckStrided(codes.Length, stride, offset, start, n);
        if (table.Length != 256) throw new ArgumentException($"A code table has 256 entries; got {table.Length}.", nameof(table));
        return Direct<byte, Keys>(codes, stride, offset, start, n, 256, (ByteWriter d, byte code) => d.F32(table[code]));
    }

    private static void CheckStrided(int length, int stride, int offset, int start, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (offset < 0 || offset >= stride) throw new ArgumentOutOfRangeException(nameof(offset), $"The offset must be in 0..{stride - 1}; got {offset}.");
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n > 0 && (start + (long)n - 1) * stride + offset >= length)
            throw new ArgumentOutOfRangeException(nameof(n), $"Rows {start}..{start + (long)n - 1} with stride {stride} are beyond the array of {length}.");
    }

    private delegate void Plain<T>(ByteWriter w, T value);

    /// <summary>A value's bits as a table key (a struct, so that the JIT specialises and inlines it in the loops).</summary>
    private interface IKey<T> { static abstract int Key(T value); }

    private readonly struct Keys : IKey<byte>, IKey<sbyte>, IKey<short>, IKey<Half>, IKey<int>, IKey<float>
    {
        public static int Key(byte value) => value;
        public static int Key(sbyte value) => (byte)value;
        public static int Key(short value) => (ushort)value;
        public static int Key(Half value) => BitConverter.HalfToUInt16Bits(value);
        public static int Key(int value) => value;
        public static int Key(float value) => BitConverter.SingleToInt32Bits(value);
    }

    /// <summary>Dictionary through a direct table indexed by the value's bits (1- and 2-byte types), reading element (start + i) × stride + offset as row i.</summary>
    private static EncodedChunk Direct<T, TKey>(T[] a, int stride, int offset, int start, int n, int domain, Plain<T> plain) where TKey : struct, IKey<T>
    {
        var slot = ArrayPool<int>.Shared.Rent(domain);
        var idx = ArrayPool<ushort>.Shared.Rent(n);
        try
        {
            slot.AsSpan(0, domain).Fill(-1);
            var dict = new List<T>();
            int count = 0;
            // Without bounds checks in the loop: the callers checked that element (start + n − 1) × stride + offset is in the
            // array (CheckStrided), a key is below domain (the value's bits: 8 or 16) and the rented arrays are long enough.
            ref T v = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), n == 0 ? 0 : (nint)((long)start * stride + offset));
            ref int sl = ref MemoryMarshal.GetArrayDataReference(slot);
            ref ushort ix = ref MemoryMarshal.GetArrayDataReference(idx);
            for (int i = 0; i < n; i++)
            {
                T x = Unsafe.Add(ref v, (nint)i * stride);
                ref int s = ref Unsafe.Add(ref sl, TKey.Key(x));
                if (s < 0) { s = count++; dict.Add(x); }
                Unsafe.Add(ref ix, i) = (ushort)s;
            }
            return Dictionary(n, dict, idx.AsSpan(0, n), plain);
        }
        finally { ArrayPool<int>.Shared.Return(slot); ArrayPool<ushort>.Shared.Return(idx); }
    }

    /// <summary>Dictionary through a hash table keyed by <paramref name="key"/>, given up (PLAIN) once the chunk has more than <see cref="MaxDictionary"/> distinct values.</summary>
    private static EncodedChunk Hashed<T, TKey>(ReadOnlySpan<T> v, Func<T, TKey> key, Plain<T> plain) where TKey : notnull
    {
        var map = new Dictionary<TKey, int>();
        var idx = ArrayPool<ushort>.Shared.Rent(v.Length);
        try
        {
            var dict = new List<T>();
            for (int i = 0; i < v.Length; i++)
            {
                var k = key(v[i]);
                if (!map.TryGetValue(k, out int s))
                {
                    if (dict.Count == MaxDictionary) return PlainPage(v, plain);
                    s = dict.Count; map.Add(k, s); dict.Add(v[i]);
                }
                idx[i] = (ushort)s;
            }
            return Dictionary(v.Length, dict, idx.AsSpan(0, v.Length), plain);
        }
        finally { ArrayPool<ushort>.Shared.Return(idx); }
    }

    /// <summary>
    /// <see cref="Hashed"/> for 32-bit keys (the value's bits): open addressing with linear probing in a table of twice
    /// <see cref="MaxDictionary"/> slots; a repeat of the previous value reuses its index. A chunk with too many distinct
    /// values is written by <paramref name="plainPage"/>.
    /// </summary>
    private static EncodedChunk Hashed32<T, TKey>(ReadOnlySpan<T> v, Plain<T> plain, PlainPageOf<T> plainPage) where TKey : struct, IKey<T>
    {
        const int Bits = 17, Mask = (1 << Bits) - 1;
        var keys = ArrayPool<uint>.Shared.Rent(1 << Bits);
        var slots = ArrayPool<int>.Shared.Rent(1 << Bits);
        var idx = ArrayPool<ushort>.Shared.Rent(v.Length);
        try
        {
            slots.AsSpan(0, 1 << Bits).Fill(-1);
            var dict = new List<T>();
            uint prev = 0; int prevIdx = -1;
            for (int i = 0; i < v.Length; i++)
            {
                uint k = (uint)TKey.Key(v[i]);
                if (prevIdx >= 0 && k == prev) { idx[i] = (ushort)prevIdx; continue; }
                int h = (int)((k * 0x9E3779B1u) >> (32 - Bits));
                while (slots[h] >= 0 && keys[h] != k) h = (h + 1) & Mask;
                int s = slots[h];
                if (s < 0)
                {
                    if (dict.Count == MaxDictionary) return plainPage(v);
                    s = slots[h] = dict.Count; keys[h] = k; dict.Add(v[i]);
                }
                idx[i] = (ushort)(prevIdx = s); prev = k;
            }
            return Dictionary(v.Length, dict, idx.AsSpan(0, v.Length), plain);
        }
        finally { ArrayPool<uint>.Shared.Return(keys); ArrayPool<int>.Shared.Return(slots); ArrayPool<ushort>.Shared.Return(idx); }
    }

    private delegate EncodedChunk PlainPageOf<T>(ReadOnlySpan<T> v);

    private static EncodedChunk Dictionary<T>(int count, List<T> dict, ReadOnlySpan<ushort> idx, Plain<T> plain)
    {
        // Dictionary page: PLAIN values.
        var body = new ByteWriter(dict.Count * 4 + 16);
        foreach (var x in dict) plain(body, x);
        var head = new ByteWriter(64);
        var h = new ThriftWriter(head);
        h.I32(1, 2); h.I32(2, body.Length); h.I32(3, body.Length);
        h.FieldBegin(7, ThriftWriter.Struct); h.I32(1, dict.Count); h.I32(2, 0); h.StructEnd();   // dictionary_page_header: PLAIN
        h.StructEnd();
        // Data page: bit width, then the RLE/bit-packed hybrid indices.
        int bw = Math.Max(1, 32 - int.LeadingZeroCount(dict.Count - 1));
        var data = new ByteWriter((int)Math.Min(int.MaxValue, (long)count * bw / 8 + 64));
        data.Byte((byte)bw);
        Rle.Encode(idx, bw, data);
        var dataHead = DataPageHeader(count, data.Length, 8);
        return new EncodedChunk([head, body, dataHead, data], true, head.Length + body.Length);
    }

    private static EncodedChunk PlainPage<T>(ReadOnlySpan<T> v, Plain<T> plain)
    {
        var data = new ByteWriter(v.Length * 4 + 16);
        foreach (var x in v) plain(data, x);
        return new EncodedChunk([DataPageHeader(v.Length, data.Length, 0), data], false, 0);
    }

    /// <summary>A PLAIN page of 4-byte values: their little-endian bytes, copied at once on a little-endian machine.</summary>
    private static EncodedChunk PlainPage4<T>(ReadOnlySpan<T> v, Plain<T> plain) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) return PlainPage(v, plain);
        var data = new ByteWriter(v.Length * 4 + 16);
        data.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v));
        return new EncodedChunk([DataPageHeader(v.Length, data.Length, 0), data], false, 0);
    }

    private static EncodedChunk PlainI32(ReadOnlySpan<int> v) => PlainPage4(v, static (ByteWriter d, int x) => d.I32(x));
    private static EncodedChunk PlainF32(ReadOnlySpan<float> v) => PlainPage4(v, static (ByteWriter d, float x) => d.F32(x));

    private static ByteWriter DataPageHeader(int count, int size, int encoding)
    {
        var w = new ByteWriter(64);
        var h = new ThriftWriter(w);
        h.I32(1, 0); h.I32(2, size); h.I32(3, size);
        h.FieldBegin(5, ThriftWriter.Struct); h.I32(1, count); h.I32(2, encoding); h.I32(3, 3); h.I32(4, 3); h.StructEnd();
        h.StructEnd();
        return w;
    }
}

/// <summary>The RLE/bit-packed hybrid encoding of Parquet: a run of at least 8 equal values starting at a group boundary is one RLE run; the rest are bit-packed groups of 8.</summary>
internal static class Rle
{
    /// <summary>
    /// Appends the encoding of <paramref name="v"/> (values below 2^bitWidth, 1 ≤ bitWidth ≤ 16) to <paramref name="w"/>; no
    /// values encode as nothing whatever the width (an empty chunk's dictionary declares width 32).
    /// </summary>
    public static void Encode(ReadOnlySpan<ushort> v, int bitWidth, ByteWriter w)
    {
        if (v.Length > 0 && bitWidth is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bitWidth), $"The bit width must be 1–16 (dictionary indices); got {bitWidth}.");
        int n = v.Length, i = 0, packedStart = 0;
        int valueBytes = (bitWidth + 7) / 8;
        while (i < n)
        {
            int run = 1;
            while (i + run < n && v[i + run] == v[i]) run++;
            if (run >= 8)
            {
                FlushPacked(v, packedStart, i, bitWidth, w);
                w.VarUInt((ulong)run << 1);
                for (int b = 0; b < valueBytes; b++) w.Byte((byte)(v[i] >> (8 * b)));
                i += run;
                packedStart = i;
            }
            else
            {
                i = Math.Min(n, i + 8);                    // one group of 8 goes to the bit-packed run
            }
        }
        FlushPacked(v, packedStart, n, bitWidth, w);
    }

    /// <summary>
    /// Bit-packs values [from, to) as one bit-packed run: its header, then groups of 8 values, each exactly bitWidth bytes
    /// (values LSB first; a last partial group padded with zeros). A group is assembled in one or two 64-bit words and stored
    /// whole, the next group overwriting the bytes beyond it, so the buffer keeps 16 bytes of slack past the run.
    /// </summary>
    private static void FlushPacked(ReadOnlySpan<ushort> v, int from, int to, int bitWidth, ByteWriter w)
    {
        if (to <= from) return;
        int groups = (to - from + 7) / 8, full = (to - from) / 8;
        w.VarUInt(((ulong)groups << 1) | 1);
        var dst = w.Reserve(groups * bitWidth + 16);
        var src = v[from..to];
        int o = 0;
        if (bitWidth <= 8)
            for (int g = 0; g < full; g++, o += bitWidth) Pack8(src.Slice(g * 8, 8), bitWidth, dst[o..]);
        else
            for (int g = 0; g < full; g++, o += bitWidth) Pack16(src.Slice(g * 8, 8), bitWidth, dst[o..]);
        if (full < groups)
        {
            Span<ushort> last = stackalloc ushort[8];
            last.Clear();
            src[(full * 8)..].CopyTo(last);
            if (bitWidth <= 8) Pack8(last, bitWidth, dst[o..]); else Pack16(last, bitWidth, dst[o..]);
        }
        w.Advance(groups * bitWidth);
    }

    /// <summary>Stores 8 values of bitWidth ≤ 8 bits (LSB first) in the first bitWidth of 8 bytes written.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Pack8(ReadOnlySpan<ushort> x, int bitWidth, Span<byte> dst)
    {
        ulong acc = (uint)x[0] | (ulong)(uint)x[1] << bitWidth | (ulong)(uint)x[2] << (2 * bitWidth) | (ulong)(uint)x[3] << (3 * bitWidth)
            | (ulong)(uint)x[4] << (4 * bitWidth) | (ulong)(uint)x[5] << (5 * bitWidth) | (ulong)(uint)x[6] << (6 * bitWidth) | (ulong)(uint)x[7] << (7 * bitWidth);
        BinaryPrimitives.WriteUInt64LittleEndian(dst, acc);
    }

    /// <summary>Stores 8 values of 9–16 bits (LSB first) in the first bitWidth of 16 bytes written: four values per 64-bit word, the second word's bits continuing at bit 4 × bitWidth.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Pack16(ReadOnlySpan<ushort> x, int bitWidth, Span<byte> dst)
    {
        ulong lo = (uint)x[0] | (ulong)(uint)x[1] << bitWidth | (ulong)(uint)x[2] << (2 * bitWidth) | (ulong)(uint)x[3] << (3 * bitWidth);
        ulong hi = (uint)x[4] | (ulong)(uint)x[5] << bitWidth | (ulong)(uint)x[6] << (2 * bitWidth) | (ulong)(uint)x[7] << (3 * bitWidth);
        int s = 4 * bitWidth;
        BinaryPrimitives.WriteUInt64LittleEndian(dst, s == 64 ? lo : lo | hi << s);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[8..], s == 64 ? hi : hi >> (64 - s));
    }
}

/// <summary>A growable little-endian byte buffer on pooled arrays (<see cref="Dispose"/> returns the array).</summary>
internal sealed class ByteWriter(int capacity) : IDisposable
{
    private byte[] _b = ArrayPool<byte>.Shared.Rent(Math.Max(16, capacity));
    public int Length { get; private set; }

    private void Grow(int need)
    {
        var b = ArrayPool<byte>.Shared.Rent(Math.Max(_b.Length * 2, need));
        _b.AsSpan(0, Length).CopyTo(b);
        ArrayPool<byte>.Shared.Return(_b);
        _b = b;
    }

    private Span<byte> Take(int k)
    {
        if (Length + k > _b.Length) Grow(Length + k);
        var s = _b.AsSpan(Length, k);
        Length += k;
        return s;
    }

    public void Dispose() { if (_b.Length > 0) ArrayPool<byte>.Shared.Return(_b); _b = []; Length = 0; }
    public void Clear() => Length = 0;
    /// <summary>A span of <paramref name="k"/> bytes at the end, without taking them (see <see cref="Advance"/>).</summary>
    public Span<byte> Reserve(int k)
    {
        if (Length + k > _b.Length) Grow(Length + k);
        return _b.AsSpan(Length, k);
    }
    /// <summary>Takes <paramref name="k"/> bytes written through <see cref="Reserve"/>.</summary>
    public void Advance(int k) => Length += k;
    public void Byte(byte x) { if (Length == _b.Length) Grow(Length + 1); _b[Length++] = x; }
    public void Bytes(ReadOnlySpan<byte> x) => x.CopyTo(Take(x.Length));
    public void I32(int x) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), x);
    public void I64(long x) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), x);
    public void F32(float x) => BinaryPrimitives.WriteSingleLittleEndian(Take(4), x);
    public void F64(double x) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), x);
    public void Str(string s) { int k = Encoding.UTF8.GetByteCount(s); I32(k); Encoding.UTF8.GetBytes(s, Take(k)); }
    public void VarUInt(ulong x) { while (x >= 0x80) { Byte((byte)(x | 0x80)); x >>= 7; } Byte((byte)x); }
    public ReadOnlySpan<byte> AsSpan() => _b.AsSpan(0, Length);
    public byte[] ToArray() => _b.AsSpan(0, Length).ToArray();
}

/// <summary>The Thrift compact protocol, as far as Parquet's footer and page headers need it.</summary>
internal sealed class ThriftWriter(ByteWriter w)
{
    public const byte BoolTrue = 1, BoolFalse = 2, ByteType = 3, I32Type = 5, I64Type = 6, Binary = 8, List = 9, Struct = 12;
    private readonly ByteWriter _w = w;
    private readonly Stack<short> _last = new();
    private short _lastField;

    public void FieldBegin(short id, byte type)
    {
        int delta = id - _lastField;
        if (delta is > 0 and <= 15) _w.Byte((byte)((delta << 4) | type));
        else { _w.Byte(type); _w.VarUInt(ZigZag(id)); }
        _lastField = id;
        if (type == Struct) StructBegin();
    }

    /// <summary>Starts a nested struct (as a list element or after a struct field header).</summary>
    public void StructBegin() { _last.Push(_lastField); _lastField = 0; }

    public void StructEnd() { _w.Byte(0); _lastField = _last.Count > 0 ? _last.Pop() : (short)0; }

    public void I32(short id, int v) { FieldBegin(id, I32Type); _w.VarUInt(ZigZag(v)); }
    public void I64(short id, long v) { FieldBegin(id, I64Type); _w.VarUInt(ZigZag(v)); }
    public void Byte(short id, byte v) { FieldBegin(id, ByteType); _w.Byte(v); }
    public void Bool(short id, bool v) { FieldBegin(id, v ? BoolTrue : BoolFalse); }
    public void String(short id, string s) { FieldBegin(id, Binary); ListString(s); }

    public void ListBegin(short id, byte elementType, int count)
    {
        FieldBegin(id, List);
        if (count < 15) _w.Byte((byte)((count << 4) | elementType));
        else { _w.Byte((byte)(0xF0 | elementType)); _w.VarUInt((ulong)count); }
    }

    public void ListI32(int v) => _w.VarUInt(ZigZag(v));
    public void ListString(string s) { var b = Encoding.UTF8.GetBytes(s); _w.VarUInt((ulong)b.Length); _w.Bytes(b); }
    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));
}
