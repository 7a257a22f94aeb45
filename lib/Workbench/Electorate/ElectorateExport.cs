using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;
using Workbench.Tables;

namespace Workbench.Electorate;

/// <summary>
/// Exports an electorate as one row per voter: CSV, Parquet, Microsoft.Data.Analysis
/// DataFrame, Deedle frame, and a codebook generated from the same column definitions, so the
/// files and their documentation cannot drift apart.
/// </summary>
public static class ElectorateExport
{
    /// <summary>An exported column: codebook entry and value getters.</summary>
    internal sealed record Column(ColumnInfo Info, Func<int, int>? Int, Func<int, float>? Float);

    private static Column I(string name, string unit, string range, string meaning, Func<int, int> get, bool special = false) =>
        new(new ColumnInfo(name, "int32", unit, range, meaning, special), get, null);

    private static Column F(string name, string unit, string range, string meaning, Func<int, float> get) =>
        new(new ColumnInfo(name, "float32", unit, range, meaning), null, get);

    internal static IReadOnlyList<Column> Columns(Electorate e)
    {
        var cols = new List<Column>
        {
            I("voter", "id", $"0..{e.VoterCount - 1}", "Voter index; voters of a household are contiguous.", i => i),
            I("household", "id", "0..H−1", "Household index (members share address, neighbourhood and correlated partisanship).", i => e.Household[i]),
            I("neighbourhood", "id", "0..M−1", "Neighbourhood (postcode unit of roughly 100–500 households).", i => e.Neighbourhood[i]),
            I("constituency", "id", $"0..{e.ConstituencyCount - 1}", "Single-member constituency.", i => e.Constituency[i]),
            I("region", "id", $"0..{e.Spec.Regions - 1}", "Region (contiguous group of constituencies).", i => e.ConstituencyRegion[e.Constituency[i]]),
            F("x", "map units", "0..1", "Map x coordinate of the voter's neighbourhood.", i => e.NeighbourhoodX[e.Neighbourhood[i]]),
            F("y", "map units", "0..1", "Map y coordinate of the voter's neighbourhood.", i => e.NeighbourhoodY[e.Neighbourhood[i]]),
            I("age", "years", "18..95", "Age.", i => e.Age[i]),
            I("gender", "code", "0..2", "0 female, 1 male, 2 other/unstated.", i => e.Gender[i]),
            I("education", "level", "0..2", "0 low, 1 middle, 2 high.", i => e.Education[i]),
            I("income_quintile", "quintile", "1..5", "Household income quintile (1 lowest).", i => e.IncomeQuintile[i]),
            I("employment", "code", "0..4", "0 employed, 1 unemployed, 2 retired, 3 student, 4 inactive.", i => e.Employment[i]),
            I("urban", "flag", "0..1", "1 urban, 0 rural.", i => e.Urban[i]),
            I("minority", "flag", "0..1", "Minority/religion flag: a GDPR Art. 9 special category.", i => e.Minority[i], special: true),
            I("health", "flag", "0..1", "Health-condition flag: a GDPR Art. 9 special category.", i => e.Health[i], special: true),
        };
        string[] b5 = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"];
        for (int t = 0; t < 5; t++) { int tt = t; cols.Add(F(b5[t], "SD", "≈ −4..4", $"Big Five {b5[t]} (correlated traits, standard units).", i => (float)e.BigFive[i * 5 + tt])); }
        int K = e.IssueCount;
        for (int q = 0; q < K; q++)
        {
            int qq = q;
            cols.Add(F($"issue{q}_position", "position", "≈ −4..4", $"Position on issue {q} ({e.Spec.Issues[q]}); parties' positions are on the same scale.", i => (float)e.IssuePosition[i * K + qq]));
        }
        for (int q = 0; q < K; q++)
        {
            int qq = q;
            cols.Add(F($"issue{q}_salience", "weight", "0..1", $"Salience of issue {q} ({e.Spec.Issues[q]}); a voter's saliences sum to 1 (Dirichlet).", i => (float)e.IssueSalience[i * K + qq]));
        }
        cols.Add(I("party_id", "party", $"−1..{e.PartyCount - 1}", "Party identification (party index; −1 none).", i => e.PartyId[i]));
        cols.Add(F("party_id_strength", "0..1", "0..1", "Strength of party identification (0 without one).", i => (float)e.PartyIdStrength[i]));
        cols.Add(I("past_vote", "party", $"−1..{e.PartyCount - 1}", "Party voted for at the last election (−1 abstained).", i => e.PastVote[i]));
        cols.Add(I("past_turnout", "flag", "0..1", "Voted at the last election.", i => e.PastTurnout[i]));
        cols.Add(F("interest", "0..1", "0..1", "Political interest.", i => (float)e.Interest[i]));
        cols.Add(F("persuadability", "0..1", "0..1", "Latent responsiveness to persuasion (hidden from campaigns).", i => (float)e.Persuadability[i]));
        foreach (var p in Enum.GetValues<Platform>())
        {
            int pi = (int)p;
            cols.Add(F($"media_{p.ToString().ToLowerInvariant()}", "probability", "0..1", $"Probability of using {p} in a given week.", i => e.MediaUse[i * 7 + pi] / 255f));
        }
        cols.Add(I("tv_show", "code", "0..5", "Favourite TV show; shows lean economically and culturally, so viewing correlates with attitudes.", i => e.TvShow[i]));
        string[] tod = ["morning", "afternoon", "evening"];
        for (int t = 0; t < 3; t++) { int tt = t; cols.Add(F($"home_{tod[t]}", "probability", "0..1", $"Probability of being at home in the {tod[t]}.", i => e.HomeProbability[i * 3 + tt] / 255f)); }
        cols.Add(F("answers_phone", "probability", "0..1", "Probability of answering the phone.", i => e.AnswersPhone[i] / 255f));
        cols.Add(F("opens_email", "probability", "0..1", "Probability of opening an email.", i => e.OpensEmail[i] / 255f));
        string[] ci = ["organic_food", "luxury_goods", "outdoor_hunting", "sports_betting"];
        for (int t = 0; t < 4; t++) { int tt = t; cols.Add(F($"consumer_{ci[t]}", "probability", "0..1", $"Consumer-interest proxy: {ci[t].Replace('_', ' ')} (correlated with attitudes and income).", i => e.ConsumerInterest[i * 4 + tt] / 255f)); }
        cols.Add(F("digital_footprint", "relative", "> 0", "Size of the voter's digital footprint (median about 1).", i => (float)e.DigitalFootprint[i]));
        cols.Add(F("turnout_propensity", "probability", "0..1", "Turnout probability from the calibrated turnout model (MODEL.md §2).", i => (float)e.TurnoutPropensity[i]));
        cols.Add(I("sincere_vote", "party", $"0..{e.PartyCount - 1}", "The sincere vote: a draw from the voter's multinomial logit over party utilities (the same law as the party of highest utility plus a Gumbel shock), drawn by inversion.", i => e.SincereVote[i]));
        return cols;
    }

    /// <summary>Writes the electorate as CSV (invariant culture, "\n" line ends), atomically.</summary>
    public static void WriteCsv(Electorate e, string path) => AtomicFile.Write(path, s => WriteCsv(e, s));

    /// <summary>Writes CSV to a stream.</summary>
    public static void WriteCsv(Electorate e, Stream stream)
    {
        var cols = Columns(e);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine(string.Join(',', cols.Select(c => c.Info.Name)));
        var sb = new StringBuilder(512);
        for (int i = 0; i < e.VoterCount; i++)
        {
            sb.Clear();
            for (int c = 0; c < cols.Count; c++)
            {
                if (c > 0) sb.Append(',');
                if (cols[c].Int is { } gi) sb.Append(gi(i).ToString(CultureInfo.InvariantCulture));
                else sb.Append(cols[c].Float!(i).ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine(sb);
        }
    }

    /// <summary>Writes the electorate as Parquet (one row group per million voters), atomically.</summary>
    public static void WriteParquet(Electorate e, string path) => AtomicFile.Write(path, s => WriteParquetAsync(e, s).GetAwaiter().GetResult());

    /// <summary>Writes Parquet to a stream.</summary>
    public static async Task WriteParquetAsync(Electorate e, Stream stream)
    {
        var cols = Columns(e);
        var fields = cols.Select(c => c.Int is not null ? (DataField)new DataField<int>(c.Info.Name) : new DataField<float>(c.Info.Name)).ToArray();
        var schema = new ParquetSchema(fields);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        const int group = 1_000_000;
        for (int start = 0; start < e.VoterCount; start += group)
        {
            int n = Math.Min(group, e.VoterCount - start);
            using var rg = writer.CreateRowGroup();
            for (int c = 0; c < cols.Count; c++)
            {
                if (cols[c].Int is { } gi)
                {
                    var a = new int[n]; for (int i = 0; i < n; i++) a[i] = gi(start + i);
                    await rg.WriteAsync<int>(fields[c], a.AsMemory());
                }
                else
                {
                    var gf = cols[c].Float!; var a = new float[n]; for (int i = 0; i < n; i++) a[i] = gf(start + i);
                    await rg.WriteAsync<float>(fields[c], a.AsMemory());
                }
            }
        }
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
    public static string CodebookJson(Electorate e) =>
        System.Text.Json.JsonSerializer.Serialize(e.Codebook(), ElectorateSpec.Json);
}
