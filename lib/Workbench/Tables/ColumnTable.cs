using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Parquet;

namespace Workbench.Tables;

/// <summary>One column of a <see cref="ColumnTable"/>: a name and values of one type (string, int, long, short, sbyte, byte, float, double or Half).</summary>
public sealed record TableColumn(string Name, Array Values)
{
    /// <summary>The element type (string, int, long, short, sbyte, byte, float, double or Half).</summary>
    public Type Type => Values.GetType().GetElementType()!;
}

/// <summary>
/// A typed, column-oriented table: the one way the library and the CLI write Parquet (through <see cref="ParquetTableWriter"/>,
/// one row group; larger tables a row group at a time) and CSV (invariant culture, round-trip floating point, RFC 4180 quoting).
/// Its bytes depend only on its values, so shards written on different machines merge into exactly the bytes of a single run.
/// </summary>
/// <remarks>
/// Every type reads back as written except <see cref="Half"/>, which is stored (and read back) as float32 holding the same values.
/// </remarks>
public sealed class ColumnTable
{
    private static readonly Type[] Supported = [typeof(string), typeof(int), typeof(long), typeof(double), typeof(float), typeof(short), typeof(sbyte), typeof(byte), typeof(Half)];

    /// <summary>Whether <paramref name="type"/> is a supported element type.</summary>
    public static bool IsSupported(Type type) => Supported.Contains(type);

    /// <summary>Creates a table; every column must have the same length and a supported type.</summary>
    public ColumnTable(IReadOnlyList<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Values.Length;
        foreach (var c in columns)
        {
            if (!Supported.Contains(c.Type)) throw new ArgumentException($"Column '{c.Name}' has unsupported type {c.Type.Name}.", nameof(columns));
            if (c.Values.Length != RowCount) throw new ArgumentException($"Column '{c.Name}' has {c.Values.Length} rows; expected {RowCount}.", nameof(columns));
        }
        foreach (var dup in columns.GroupBy(c => c.Name).Where(g => g.Count() > 1)) throw new ArgumentException($"Column name '{dup.Key}' is used twice.", nameof(columns));
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }
    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>A column by name.</summary>
    public TableColumn this[string name] => Columns.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No column '{name}'; columns: {string.Join(", ", Columns.Select(c => c.Name))}.");

    /// <summary>The rows in the order given by <paramref name="order"/> (row indices).</summary>
    public ColumnTable Reorder(int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        static T[] Pick<T>(T[] v, int[] order) { var a = new T[order.Length]; for (int i = 0; i < order.Length; i++) a[i] = v[order[i]]; return a; }
        return new ColumnTable(Columns.Select(c => new TableColumn(c.Name, c.Values switch
        {
            string[] s => Pick(s, order), int[] i => Pick(i, order), long[] l => Pick(l, order), double[] d => Pick(d, order),
            _ => PickAny(c.Values, order),
        })).ToArray());
    }

    private static Array PickAny(Array v, int[] order)
    {
        var a = Array.CreateInstance(v.GetType().GetElementType()!, order.Length);
        for (int i = 0; i < order.Length; i++) Array.Copy(v, order[i], a, i, 1);
        return a;
    }

    /// <summary>Tables with identical column names and types, one after another.</summary>
    public static ColumnTable Concat(IReadOnlyList<ColumnTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0) throw new ArgumentException("Nothing to concatenate.", nameof(tables));
        var first = tables[0];
        foreach (var t in tables.Skip(1))
            if (!t.Columns.Select(c => (c.Name, c.Type)).SequenceEqual(first.Columns.Select(c => (c.Name, c.Type))))
                throw new InvalidDataException("The tables have different columns: " + string.Join(",", t.Columns.Select(c => c.Name)) + " vs " + string.Join(",", first.Columns.Select(c => c.Name)) + ".");
        int n = tables.Sum(t => t.RowCount);
        return new ColumnTable(first.Columns.Select((c, j) =>
        {
            var a = Array.CreateInstance(c.Type, n);
            int at = 0;
            foreach (var t in tables) { Array.Copy(t.Columns[j].Values, 0, a, at, t.RowCount); at += t.RowCount; }
            return new TableColumn(c.Name, a);
        }).ToArray());
    }

    /// <summary>The column names and element types, in order (the schema of <see cref="ParquetTableWriter"/>).</summary>
    public IReadOnlyList<(string Name, Type Type)> Schema => Columns.Select(c => (c.Name, c.Type)).ToArray();

    /// <summary>Writes the table as Parquet with a single row group.</summary>
    public Task WriteParquetAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WriteParquet(stream);
        return Task.CompletedTask;
    }

    /// <summary>Writes the table as Parquet with a single row group and the given file key-value metadata.</summary>
    /// <param name="stream">The destination; it is not closed.</param>
    /// <param name="metadata">File key-value metadata, in order; null for none.</param>
    /// <param name="threads">Column chunks encoded at once (1–1024); the bytes do not depend on it.</param>
    /// <param name="fieldMetadata">Per-column key/value metadata (a codebook entry) by column name, stored in the Arrow schema the file carries (see <see cref="ParquetTableWriter"/>); null for none.</param>
    public void WriteParquet(Stream stream, IReadOnlyList<KeyValuePair<string, string>>? metadata = null, int threads = 1,
        IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? fieldMetadata = null)
    {
        using var writer = new ParquetTableWriter(stream, Schema, metadata, threads, fieldMetadata);
        writer.WriteRowGroup(this);
        writer.Finish();
    }

    /// <summary>Writes the table as Parquet to <paramref name="path"/>, atomically.</summary>
    public void WriteParquet(string path) => AtomicFile.Write(path, s => WriteParquet(s));

    /// <summary>Writes the table as Parquet to <paramref name="path"/>, atomically, with file and per-column metadata (see <see cref="WriteParquet(Stream, IReadOnlyList{KeyValuePair{string, string}}?, int, IReadOnlyDictionary{string, IReadOnlyList{KeyValuePair{string, string}}}?)"/>).</summary>
    public void WriteParquet(string path, IReadOnlyList<KeyValuePair<string, string>>? metadata, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? fieldMetadata) =>
        AtomicFile.Write(path, s => WriteParquet(s, metadata, 1, fieldMetadata));

    /// <summary>Writes the table as CSV (see <see cref="ToCsv"/>) to <paramref name="path"/>, atomically (UTF-8 without a byte-order mark).</summary>
    public void WriteCsv(string path) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        WriteCsv(w, header: true);
    });

    /// <summary>Reads a Parquet file of string, int, long, short, sbyte, byte, float and double columns (every row group).</summary>
    public static async Task<ColumnTable> ReadParquetAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.GetDataFields();
        var parts = new List<ColumnTable>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            var cols = new List<TableColumn>();
            foreach (var f in fields)
            {
                Array values;
                if (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)) { var a = new string?[n]; await rg.ReadAsync(f, a.AsMemory(), cancellationToken: cancellationToken); values = a.Select(x => x ?? "").ToArray(); }
                else if (f.ClrType == typeof(int)) { var a = new int[n]; await rg.ReadAsync<int>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(long)) { var a = new long[n]; await rg.ReadAsync<long>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(double)) { var a = new double[n]; await rg.ReadAsync<double>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(float)) { var a = new float[n]; await rg.ReadAsync<float>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(short)) { var a = new short[n]; await rg.ReadAsync<short>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(sbyte)) { var a = new sbyte[n]; await rg.ReadAsync<sbyte>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else if (f.ClrType == typeof(byte)) { var a = new byte[n]; await rg.ReadAsync<byte>(f, a.AsMemory(), cancellationToken: cancellationToken); values = a; }
                else throw new InvalidDataException($"Column '{f.Name}' has unsupported type {f.ClrType.Name}.");
                cols.Add(new TableColumn(f.Name, values));
            }
            parts.Add(new ColumnTable(cols));
        }
        return parts.Count == 0 ? new ColumnTable(fields.Select(f => new TableColumn(f.Name, Array.CreateInstance(f.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : f.ClrType, 0))).ToArray()) : parts.Count == 1 ? parts[0] : Concat(parts);
    }

    /// <summary>Reads a Parquet file.</summary>
    public static ColumnTable ReadParquet(string path)
    {
        using var fs = File.OpenRead(path);
        return ReadParquetAsync(fs).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The table as CSV: a header line, then one line per row ("\n" line ends, invariant culture, round-trip "R" formatting of
    /// float and double, Half as the float32 it widens to, RFC 4180 quoting).
    /// </summary>
    public string ToCsv()
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(w, header: true);
        return w.ToString();
    }

    /// <summary>Writes the rows as CSV (see <see cref="ToCsv"/>) to <paramref name="writer"/>, with the header line when <paramref name="header"/> is true; a large table is written as slices with the header only on the first.</summary>
    public void WriteCsv(TextWriter writer, bool header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(1024);
        if (header) writer.Write(string.Join(',', Columns.Select(c => CsvText.Escape(c.Name))) + "\n");
        for (int i = 0; i < RowCount; i++)
        {
            sb.Clear();
            for (int j = 0; j < Columns.Count; j++)
            {
                if (j > 0) sb.Append(',');
                switch (Columns[j].Values)
                {
                    case string[] s: sb.Append(CsvText.Escape(s[i] ?? "")); break;
                    case int[] a: sb.Append(a[i].ToString(ci)); break;
                    case long[] l: sb.Append(l[i].ToString(ci)); break;
                    case double[] d: sb.Append(d[i].ToString("R", ci)); break;
                    case float[] f: sb.Append(f[i].ToString("R", ci)); break;
                    case Half[] h: sb.Append(((float)h[i]).ToString("R", ci)); break;
                    case short[] sh: sb.Append(sh[i].ToString(ci)); break;
                    case sbyte[] sb8 when sb8.GetType() == typeof(sbyte[]): sb.Append(sb8[i].ToString(ci)); break;
                    case byte[] b: sb.Append(b[i].ToString(ci)); break;
                }
            }
            sb.Append('\n');
            writer.Write(sb);
        }
    }

    /// <summary>The table as a Microsoft.Data.Analysis DataFrame.</summary>
    public DataFrame ToDataFrame() => new(Columns.Select(c => c.Values switch
    {
        string[] s => (DataFrameColumn)new StringDataFrameColumn(c.Name, s),
        int[] a => new Int32DataFrameColumn(c.Name, a),
        long[] l => new Int64DataFrameColumn(c.Name, l),
        double[] d => new DoubleDataFrameColumn(c.Name, d),
        float[] f => new SingleDataFrameColumn(c.Name, f),
        Half[] h => new SingleDataFrameColumn(c.Name, h.Select(x => (float)x)),
        short[] sh => new Int16DataFrameColumn(c.Name, sh),
        sbyte[] sb when sb.GetType() == typeof(sbyte[]) => new SByteDataFrameColumn(c.Name, sb),
        byte[] b => new ByteDataFrameColumn(c.Name, b),
        _ => throw new InvalidOperationException($"Column '{c.Name}' has unsupported type {c.Type.Name}."),
    }));
}
