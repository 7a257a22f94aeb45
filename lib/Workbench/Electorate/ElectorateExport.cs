using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Workbench.Tables;

namespace Workbench.Electorate;

/// <summary>
/// Exports an electorate as one row per voter: CSV, Parquet, Microsoft.Data.Analysis
/// DataFrame, Deedle frame, and a codebook generated from the same column definitions, so the
/// files and their documentation cannot drift apart.
/// </summary>
public static class ElectorateExport
{
    /// <summary>
    /// An exported column: codebook entry, value getters (int or float, for CSV-free in-memory exports) and a slicer that
    /// copies rows [start, start + n) in the column's storage type (what the Parquet and CSV files hold) into the given array
    /// when it has length n (so that a writer reuses one array per column for every row group), or into a new one; and, for
    /// columns stored in the electorate as they are written (bytes, half precision, probability bytes), a Parquet source that
    /// encodes straight from the electorate's array (no slice is copied for them).
    /// </summary>
    internal sealed record Column(ColumnInfo Info, Func<int, int>? Int, Func<int, float>? Float, Func<int, int, Array?, Array> Slice, ColumnSource? Source = null);

    /// <summary>The float32 of each probability byte b: b / 255f (distinct for every b, so the bytes' dictionary is the floats').</summary>
    private static readonly float[] ProbabilityOfByte = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    private static T[] Dest<T>(Array? reuse, int n) => reuse is T[] a && a.Length == n && a.GetType() == typeof(T[]) ? a : new T[n];

    private static Column I32(string name, string unit, string range, string meaning, Func<int, int> get) =>
        new(new ColumnInfo(name, "int32", unit, range, meaning), get, null, (s, n, r) => { var a = Dest<int>(r, n); for (int i = 0; i < n; i++) a[i] = get(s + i); return a; });

    private static Column U8(string name, string unit, string range, string meaning, byte[] v, int stride = 1, int k = 0, bool special = false) =>
        new(new ColumnInfo(name, "uint8", unit, range, meaning, special), i => v[i * stride + k], null, (s, n, r) => Strided(v, stride, k, s, n, r), ColumnSource.Strided(name, v, stride, k));

    private static Column I8(string name, string unit, string range, string meaning, sbyte[] v) =>
        new(new ColumnInfo(name, "int8", unit, range, meaning), i => v[i], null, (s, n, r) => Strided(v, 1, 0, s, n, r), ColumnSource.Strided(name, v, 1, 0));

    private static Column H(string name, string unit, string range, string meaning, Half[] v, int stride = 1, int k = 0) =>
        new(new ColumnInfo(name, "float32", unit, range, meaning), null, i => (float)v[i * stride + k], (s, n, r) => Strided(v, stride, k, s, n, r), ColumnSource.Strided(name, v, stride, k));

    /// <summary>A probability stored as a byte p × 255, exported as the float32 p (p × 255 / 255f).</summary>
    private static Column P(string name, string meaning, byte[] v, int stride = 1, int k = 0) =>
        new(new ColumnInfo(name, "float32", "probability", "0..1", meaning), null, i => v[i * stride + k] / 255f, (s, n, r) =>
        {
            var a = Dest<float>(r, n);
            for (int i = 0; i < n; i++) a[i] = v[(s + i) * stride + k] / 255f;
            return a;
        }, ColumnSource.Coded(name, v, stride, k, ProbabilityOfByte));

    /// <summary>Rows [s, s + n) of <c>table[index[row]]</c> (a neighbourhood's value for each voter).</summary>
    private static T[] Gather<T>(T[] table, int[] index, int s, int n, Array? reuse)
    {
        var a = Dest<T>(reuse, n);
        var ix = index.AsSpan(s, n);
        for (int i = 0; i < ix.Length; i++) a[i] = table[ix[i]];
        return a;
    }

    private static T[] Strided<T>(T[] v, int stride, int k, int s, int n, Array? reuse)
    {
        var a = Dest<T>(reuse, n);
        if (stride == 1) { v.AsSpan(s, n).CopyTo(a); return a; }
        for (int i = 0; i < n; i++) a[i] = v[(s + i) * stride + k];
        return a;
    }

    internal static IReadOnlyList<Column> Columns(Electorate e)
    {
        var cols = new List<Column>
        {
            I32("voter", "id", $"0..{e.VoterCount - 1}", "Voter index; voters of a household are contiguous.", i => i) with
            {
                Slice = (s, n, r) => { var a = Dest<int>(r, n); for (int i = 0; i < n; i++) a[i] = s + i; return a; },
            },
            I32("household", "id", "0..H−1", "Household index (members share address, neighbourhood and correlated partisanship).", i => e.Household[i]) with
            {
                Slice = (s, n, r) => Strided(e.Household, 1, 0, s, n, r), Source = ColumnSource.Of("household", e.Household),
            },
            I32("neighbourhood", "id", "0..M−1", "Neighbourhood (postcode unit of roughly 100–500 households).", i => e.Neighbourhood[i]) with
            {
                Slice = (s, n, r) => Strided(e.Neighbourhood, 1, 0, s, n, r), Source = ColumnSource.Of("neighbourhood", e.Neighbourhood),
            },
            new(new ColumnInfo("constituency", "int16", "id", $"0..{e.ConstituencyCount - 1}", "Single-member constituency."), i => e.Constituency[i], null, (s, n, r) => Strided(e.Constituency, 1, 0, s, n, r), ColumnSource.Strided("constituency", e.Constituency, 1, 0)),
            new(new ColumnInfo("region", "uint8", "id", $"0..{e.Spec.Regions - 1}", "Region (contiguous group of constituencies)."), i => e.ConstituencyRegion[e.Constituency[i]], null, (s, n, r) =>
            {
                var a = Dest<byte>(r, n);
                for (int i = 0; i < n; i++) a[i] = e.ConstituencyRegion[e.Constituency[s + i]];
                return a;
            }),
            Fl("x", "map units", "0..1", "Map x coordinate of the voter's neighbourhood.", i => e.NeighbourhoodX[e.Neighbourhood[i]]) with
            {
                Slice = (s, n, r) => Gather(e.NeighbourhoodX, e.Neighbourhood, s, n, r),
            },
            Fl("y", "map units", "0..1", "Map y coordinate of the voter's neighbourhood.", i => e.NeighbourhoodY[e.Neighbourhood[i]]) with
            {
                Slice = (s, n, r) => Gather(e.NeighbourhoodY, e.Neighbourhood, s, n, r),
            },
            U8("age", "years", "18..95", "Age.", e.Age),
            U8("gender", "code", "0..2", "0 female, 1 male, 2 other/unstated.", e.Gender),
            U8("education", "level", "0..2", "0 low, 1 middle, 2 high.", e.Education),
            U8("income_quintile", "quintile", "1..5", "Household income quintile (1 lowest).", e.IncomeQuintile),
            U8("employment", "code", "0..4", "0 employed, 1 unemployed, 2 retired, 3 student, 4 inactive.", e.Employment),
            U8("urban", "flag", "0..1", "1 urban, 0 rural.", e.Urban),
            U8("minority", "flag", "0..1", "Minority/religion flag: a GDPR Art. 9 special category.", e.Minority, special: true),
            U8("health", "flag", "0..1", "Health-condition flag: a GDPR Art. 9 special category.", e.Health, special: true),
        };
        string[] b5 = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"];
        for (int t = 0; t < 5; t++) cols.Add(H(b5[t], "SD", "≈ −4..4", $"Big Five {b5[t]} (correlated traits, standard units).", e.BigFive, 5, t));
        int K = e.IssueCount;
        for (int q = 0; q < K; q++)
            cols.Add(H($"issue{q}_position", "position", "≈ −4..4", $"Position on issue {q} ({e.Spec.Issues[q]}); parties' positions are on the same scale.", e.IssuePosition, K, q));
        for (int q = 0; q < K; q++)
            cols.Add(H($"issue{q}_salience", "weight", "0..1", $"Salience of issue {q} ({e.Spec.Issues[q]}); a voter's saliences sum to 1 (Dirichlet).", e.IssueSalience, K, q));
        cols.Add(I8("party_id", "party", $"−1..{e.PartyCount - 1}", "Party identification (party index; −1 none).", e.PartyId));
        cols.Add(H("party_id_strength", "0..1", "0..1", "Strength of party identification (0 without one).", e.PartyIdStrength));
        cols.Add(I8("past_vote", "party", $"−1..{e.PartyCount - 1}", "Party voted for at the last election (−1 abstained).", e.PastVote));
        cols.Add(U8("past_turnout", "flag", "0..1", "Voted at the last election.", e.PastTurnout));
        cols.Add(H("interest", "0..1", "0..1", "Political interest.", e.Interest));
        cols.Add(H("persuadability", "0..1", "0..1", "Latent responsiveness to persuasion (hidden from campaigns).", e.Persuadability));
        foreach (var p in Enum.GetValues<Platform>())
            cols.Add(P($"media_{p.ToString().ToLowerInvariant()}", $"Probability of using {p} in a given week.", e.MediaUse, 7, (int)p));
        cols.Add(U8("tv_show", "code", "0..5", "Favourite TV show; shows lean economically and culturally, so viewing correlates with attitudes.", e.TvShow));
        string[] tod = ["morning", "afternoon", "evening"];
        for (int t = 0; t < 3; t++) cols.Add(P($"home_{tod[t]}", $"Probability of being at home in the {tod[t]}.", e.HomeProbability, 3, t));
        cols.Add(P("answers_phone", "Probability of answering the phone.", e.AnswersPhone));
        cols.Add(P("opens_email", "Probability of opening an email.", e.OpensEmail));
        string[] ci = ["organic_food", "luxury_goods", "outdoor_hunting", "sports_betting"];
        for (int t = 0; t < 4; t++) cols.Add(P($"consumer_{ci[t]}", $"Consumer-interest proxy: {ci[t].Replace('_', ' ')} (correlated with attitudes and income).", e.ConsumerInterest, 4, t));
        cols.Add(H("digital_footprint", "relative", "> 0", "Size of the voter's digital footprint (median about 1).", e.DigitalFootprint));
        cols.Add(H("turnout_propensity", "probability", "0..1", "Turnout probability from the calibrated turnout model (MODEL.md §2).", e.TurnoutPropensity));
        cols.Add(I8("sincere_vote", "party", $"0..{e.PartyCount - 1}", "The sincere vote: a draw from the voter's multinomial logit over party utilities (the same law as the party of highest utility plus a Gumbel shock), drawn by inversion.", e.SincereVote));
        return cols;
    }

    private static Column Fl(string name, string unit, string range, string meaning, Func<int, float> get) =>
        new(new ColumnInfo(name, "float32", unit, range, meaning), null, get, (s, n, r) => { var a = Dest<float>(r, n); for (int i = 0; i < n; i++) a[i] = get(s + i); return a; });

    /// <summary>Voters per Parquet row group (and per slice of the CSV writer).</summary>
    public const int RowGroupSize = 1_000_000;

    /// <summary>The key of the file key-value metadata entry that holds the codebook (the JSON of <see cref="CodebookJson(Electorate)"/>).</summary>
    public const string CodebookKey = "workbench.codebook";

    /// <summary>Rows [start, start + n) as a table in the columns' storage types (what the Parquet and CSV files hold).</summary>
    public static ColumnTable Slice(Electorate e, int start, int n, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (start + (long)n > e.VoterCount) throw new ArgumentOutOfRangeException(nameof(n), $"Rows {start}..{start + (long)n - 1} are beyond the {e.VoterCount} voters.");
        return Slice(Columns(e), start, n, threads);
    }

    /// <summary>Rows [start, start + n) as a table; with <paramref name="reuse"/> (the previous slice's table) its arrays are refilled when of length n.</summary>
    private static ColumnTable Slice(IReadOnlyList<Column> cols, int start, int n, int threads, ColumnTable? reuse = null)
    {
        var values = new Array[cols.Count];
        Parallel.For(0, cols.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, j => values[j] = cols[j].Slice(start, n, reuse?.Columns[j].Values));
        return new ColumnTable(cols.Select((c, j) => new TableColumn(c.Info.Name, values[j])).ToArray());
    }

    /// <summary>Writes the electorate as CSV (invariant culture, "\n" line ends), atomically.</summary>
    public static void WriteCsv(Electorate e, string path) => AtomicFile.Write(path, s => WriteCsv(e, s));

    /// <summary>Writes CSV to a stream, one <see cref="ColumnTable"/> slice of <see cref="RowGroupSize"/> voters at a time.</summary>
    public static void WriteCsv(Electorate e, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(e);
        var cols = Columns(e);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        if (e.VoterCount == 0) { Slice(cols, 0, 0, 1).WriteCsv(w, header: true); return; }
        ColumnTable? slice = null;   // each slice is written before the next refills its arrays
        for (int start = 0; start < e.VoterCount; start += RowGroupSize)
            (slice = Slice(cols, start, Math.Min(RowGroupSize, e.VoterCount - start), 1, slice)).WriteCsv(w, header: start == 0);
    }

    /// <summary>Writes the electorate as Parquet (one row group per <see cref="RowGroupSize"/> voters, the codebook in the file metadata), atomically.</summary>
    /// <param name="e">The electorate.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="threads">Columns sliced and encoded at once (default: all cores); the bytes do not depend on it.</param>
    public static void WriteParquet(Electorate e, string path, int? threads = null) => AtomicFile.Write(path, s => WriteParquet(e, s, threads ?? Environment.ProcessorCount));

    /// <summary>Writes Parquet to a stream (with one thread).</summary>
    public static Task WriteParquetAsync(Electorate e, Stream stream)
    {
        WriteParquet(e, stream, 1);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes Parquet to a stream through <see cref="ParquetTableWriter"/>: one row group per <see cref="RowGroupSize"/> voters,
    /// each column encoded straight from the electorate's array where it is stored as written (the others through a reused slice); the
    /// codebook JSON under <see cref="CodebookKey"/> in the file metadata, and each column's codebook entry as its field's metadata in the
    /// Arrow schema the file carries (<see cref="ColumnInfo.ArrowMetadata"/>; what pyarrow and pandas read per column).
    /// </summary>
    public static void WriteParquet(Electorate e, Stream stream, int threads)
    {
        ArgumentNullException.ThrowIfNull(e);
        var cols = Columns(e);
        var schema = cols.Select(c => (c.Info.Name, c.Slice(0, 0, null).GetType().GetElementType()!)).ToArray();
        // Columns without a source of their own (ids, coordinates, region) are sliced into an array each source reuses.
        var sources = cols.Select((c, j) => c.Source ?? ColumnSource.Sliced(c.Info.Name, schema[j].Item2, c.Slice)).ToArray();
        var codebook = e.Codebook();
        using var writer = new ParquetTableWriter(stream, schema, [KeyValuePair.Create(CodebookKey, CodebookJson(codebook))], threads, ColumnInfo.ArrowFieldMetadata(codebook));
        for (int start = 0; start < e.VoterCount; start += RowGroupSize)
            writer.WriteRowGroup(sources, start, Math.Min(RowGroupSize, e.VoterCount - start));
        writer.Finish();
    }

    /// <summary>The electorate as a Microsoft.Data.Analysis DataFrame (one row per voter).</summary>
    public static DataFrame ToDataFrame(Electorate e)
    {
        var cols = Columns(e);
        var df = new DataFrame();
        foreach (var c in cols)
        {
            if (c.Int is { } gi) { var a = new int[e.VoterCount]; for (int i = 0; i < a.Length; i++) a[i] = gi(i); df.Columns.Add(new Int32DataFrameColumn(c.Info.Name, a)); }
            else { var gf = c.Float!; var a = new float[e.VoterCount]; for (int i = 0; i < a.Length; i++) a[i] = gf(i); df.Columns.Add(new SingleDataFrameColumn(c.Info.Name, a)); }
        }
        return df;
    }

    /// <summary>The electorate as a Deedle frame (row key: voter index; every column as double).</summary>
    public static Deedle.Frame<int, string> ToDeedle(Electorate e)
    {
        var cols = Columns(e);
        var keys = Enumerable.Range(0, e.VoterCount).ToArray();
        var series = new List<KeyValuePair<string, Deedle.Series<int, double>>>();
        foreach (var c in cols)
        {
            var v = new double[e.VoterCount];
            if (c.Int is { } gi) for (int i = 0; i < v.Length; i++) v[i] = gi(i);
            else { var gf = c.Float!; for (int i = 0; i < v.Length; i++) v[i] = gf(i); }
            series.Add(new(c.Info.Name, new Deedle.Series<int, double>(keys, v)));
        }
        return Deedle.Frame.FromColumns(series);
    }

    /// <summary>The codebook as Markdown: every column with type, unit, range and meaning.</summary>
    public static string CodebookMarkdown(Electorate e)
    {
        var sb = new StringBuilder();
        sb.Append("# Codebook of a generated electorate\n\n");
        sb.Append("Generated from the column definitions in `lib/Workbench/Electorate/ElectorateExport.cs` by `workbench electorate --codebook`; ");
        sb.Append("one row per voter in the CSV and Parquet files. Columns marked † are GDPR Art. 9 special categories, which data regimes may ban.\n\n");
        sb.Append("| column | type | unit | range | meaning |\n|---|---|---|---|---|\n");
        foreach (var c in e.Codebook())
            sb.Append($"| {c.Name}{(c.SpecialCategory ? " †" : "")} | {c.Type} | {c.Unit} | {c.Range} | {c.Meaning} |\n");
        return sb.ToString();
    }

    /// <summary>The codebook as JSON.</summary>
    public static string CodebookJson(Electorate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return CodebookJson(e.Codebook());
    }

    /// <summary>A codebook (the electorate's, a results table's) as JSON: the list of its entries.</summary>
    public static string CodebookJson(IReadOnlyList<ColumnInfo> codebook) =>
        System.Text.Json.JsonSerializer.Serialize(codebook, ElectorateJson.Contract.IReadOnlyListColumnInfo);
}
