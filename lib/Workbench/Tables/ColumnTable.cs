using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Workbench.Tables;

/// <summary>One column of a <see cref="ColumnTable"/>: a name and values of one type (string, int, long or double).</summary>
public sealed record TableColumn(string Name, Array Values)
{
    /// <summary>The element type (string, int, long or double).</summary>
    public Type Type => Values.GetType().GetElementType()!;
}

/// <summary>
/// A small typed, column-oriented table that round-trips exactly through Parquet (one row group, no
/// compression choices left to chance) and writes deterministic CSV (invariant culture, round-trip doubles).
/// Sweeps use it so that shards written on different machines merge into exactly the bytes of a single run.
/// </summary>
public sealed class ColumnTable
{
    private static readonly Type[] Supported = [typeof(string), typeof(int), typeof(long), typeof(double)];

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
            _ => throw new InvalidOperationException($"Column '{c.Name}' has unsupported type {c.Type.Name}."),
        })).ToArray());
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

    /// <summary>Writes the table as Parquet with a single row group.</summary>
    public async Task WriteParquetAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var fields = Columns.Select(c => c.Type == typeof(string) ? new DataField<string>(c.Name) :
            c.Type == typeof(int) ? new DataField<int>(c.Name) : c.Type == typeof(long) ? new DataField<long>(c.Name) : (DataField)new DataField<double>(c.Name)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken);
        using var rg = writer.CreateRowGroup();
        for (int j = 0; j < Columns.Count; j++)
        {
            switch (Columns[j].Values)
            {
                case string[] s: await rg.WriteAsync(fields[j], s); break;
                case int[] i: await rg.WriteAsync<int>(fields[j], i.AsMemory(), cancellationToken: cancellationToken); break;
                case long[] l: await rg.WriteAsync<long>(fields[j], l.AsMemory(), cancellationToken: cancellationToken); break;
                case double[] d: await rg.WriteAsync<double>(fields[j], d.AsMemory(), cancellationToken: cancellationToken); break;
            }
        }
    }

    /// <summary>Writes the table as Parquet to <paramref name="path"/>, atomically.</summary>
    public void WriteParquet(string path) => AtomicFile.Write(path, s => WriteParquetAsync(s).GetAwaiter().GetResult());

    /// <summary>Reads a Parquet file of string, int, long and double columns (every row group).</summary>
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

    /// <summary>The table as CSV: a header line, then one line per row (invariant culture, round-trip doubles, RFC 4180 quoting).</summary>
    public string ToCsv()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(string.Join(',', Columns.Select(c => CsvText.Escape(c.Name)))).Append('\n');
        for (int i = 0; i < RowCount; i++)
        {
            for (int j = 0; j < Columns.Count; j++)
            {
                if (j > 0) sb.Append(',');
                switch (Columns[j].Values)
                {
                    case string[] s: sb.Append(CsvText.Escape(s[i] ?? "")); break;
                    case int[] a: sb.Append(a[i].ToString(ci)); break;
                    case long[] l: sb.Append(l[i].ToString(ci)); break;
                    case double[] d: sb.Append(d[i].ToString("R", ci)); break;
                }
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The table as a Microsoft.Data.Analysis DataFrame.</summary>
    public DataFrame ToDataFrame() => new(Columns.Select(c => c.Values switch
    {
        string[] s => (DataFrameColumn)new StringDataFrameColumn(c.Name, s),
        int[] a => new Int32DataFrameColumn(c.Name, a),
        long[] l => new Int64DataFrameColumn(c.Name, l),
        double[] d => new DoubleDataFrameColumn(c.Name, d),
        _ => throw new InvalidOperationException(),
    }));
}
