using System.Globalization;
using System.Text.Json.Nodes;
using Workbench.Campaigns;
using Workbench.Regulation;
using Workbench.Random;
using Workbench.Behaviour;
using Workbench.Tables;

namespace Workbench.Transparency;

/// <summary>A lower and upper bound, as ad libraries publish spend, impressions and audience sizes.</summary>
public readonly record struct Range(long Lower, long? Upper)
{
    /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
    public bool Contains(double value) => value >= Lower && (Upper is not long u || value <= u);
    /// <inheritdoc />
    public override string ToString() => Upper is long u ? $"{Lower}-{u}" : $">{Lower}";
}

/// <summary>One share of a distribution (age × gender, or region).</summary>
public readonly record struct Share(string Key, double Percentage);

/// <summary>
/// One delivered ad, as an ad library records it (MODEL.md §10): who paid and for whom, spend and impressions as
/// range buckets, the demographic and regional distribution of delivery, the estimated audience size, the targeting
/// as declared (ages, genders, locations), dates. <see cref="TrueTargeting"/> is the archive's hidden truth (what the
/// campaign actually selected on); it is never exported.
/// </summary>
public sealed record AdRecord
{
    public string Id { get; init; } = "";
    public string Sponsor { get; init; } = "";
    public string FundingEntity { get; init; } = "";
    public string Payer { get; init; } = "";
    public string Beneficiary { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Creative { get; init; } = "";
    public double Spend { get; init; }
    public long Impressions { get; init; }
    public Range SpendRange { get; init; }
    public Range ImpressionsRange { get; init; }
    public Range AudienceSize { get; init; }
    public IReadOnlyList<Share> Demographics { get; init; } = [];
    public IReadOnlyList<Share> Regions { get; init; } = [];
    public string TargetAges { get; init; } = "";
    public string TargetGenders { get; init; } = "";
    public string TargetLocations { get; init; } = "";
    public DateOnly Start { get; init; }
    public DateOnly End { get; init; }
    /// <summary>A dark post: delivered but never archived (a violation under a transparency duty).</summary>
    public bool Dark { get; init; }
    /// <summary>What the campaign truly selected on (hidden from exports; for auditing exercises).</summary>
    public string TrueTargeting { get; init; } = "";
    /// <summary>The age bands the audience truly covered (hidden).</summary>
    public IReadOnlyList<string> TrueAgeBands { get; init; } = [];
    /// <summary>Voters who received the ad (hidden from exports; the simulation's truth).</summary>
    public IReadOnlyList<int> Recipients { get; init; } = [];
}

/// <summary>Where an archive's ads come from: the scenario, arm and replicate (for ad ids and the seeded flight dates) and the regulation in force.</summary>
/// <param name="ScenarioName">Scenario name (part of each ad's id).</param>
/// <param name="ArmName">Arm name (part of each ad's id).</param>
/// <param name="ArmIndex">Arm index in the scenario (seeds each ad's flight dates and dark-post draw).</param>
/// <param name="Replicate">Replicate number (part of each ad's id).</param>
/// <param name="SeedColumn">The replicate's seed (seeds each ad's flight dates and dark-post draw).</param>
/// <param name="Regulation">The regulation in force (silence period, dark posts), or null.</param>
/// <param name="DarkPostSponsors">The advertisers (<see cref="CampaignOutcome.Advertiser"/>: a party's own campaign is named by the party) whose dark posts ran (under a transparency duty, those that did not comply and were not taken down); null when every campaign places the regulation's dark-post share.</param>
public sealed record ArchiveContext(string ScenarioName, string ArmName, int ArmIndex, int Replicate, long SeedColumn, RegulationSpec? Regulation,
    IReadOnlySet<string>? DarkPostSponsors = null);

/// <summary>
/// The transparency archive of one arm of one replicate (MODEL.md §10): every ad delivered through paid social
/// media, exportable in the field layouts of Meta's Ad Library and Google's political-ads transparency report; a
/// per-voter "why am I seeing this ad"; dark posts exist when the scenario's regulation places them, and are kept out
/// of the published archive.
/// </summary>
public sealed class AdArchive
{
    /// <summary>Impressions per delivered contact (a contact is a flight of about ten impressions; docs/campaigns.md).</summary>
    public const int ImpressionsPerContact = Workbench.Behaviour.Channels.ImpressionsPerPaidContact;
    /// <summary>First day of the simulated campaign.</summary>
    public static readonly DateOnly CampaignStart = new(2026, 4, 1);
    /// <summary>Length of the campaign in days.</summary>
    public const int CampaignDays = 42;

    private readonly Electorate.Electorate _e;

    private AdArchive(Electorate.Electorate e, IReadOnlyList<AdRecord> all) { _e = e; All = all; }

    /// <summary>Every delivered ad, dark posts included (the truth).</summary>
    public IReadOnlyList<AdRecord> All { get; }
    /// <summary>The published archive: every ad except dark posts.</summary>
    public IReadOnlyList<AdRecord> Published => All.Where(a => !a.Dark).ToArray();

    /// <summary>
    /// Builds the archive of one arm from the campaigns' outcomes (with recorded deliveries) on electorate
    /// <paramref name="e"/>. <c>ReplicateRun.Archive</c> in Experiments supplies them for a scenario's replicate.
    /// </summary>
    public static AdArchive Build(Electorate.Electorate e, IReadOnlyDictionary<string, CampaignOutcome> outcomes, ArchiveContext context)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(outcomes); ArgumentNullException.ThrowIfNull(context);
        var reg = context.Regulation;
        string armName = context.ArmName; int a = context.ArmIndex;
        var records = new List<AdRecord>();
        foreach (var (advertiser, outcome) in outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var d = outcome.Deliveries;
            if (d is null) continue;
            // The key is the advertiser: the party's own campaign, or an outside advertiser working for outcome.Party.
            string party = outcome.Party.Length > 0 ? outcome.Party : advertiser;
            int partyIndex = e.PartyNames.ToList().IndexOf(party);
            string funder = outcome.Sponsor switch { Sponsor.ThirdParty => $"{advertiser}, non-party campaigner", Sponsor.Foreign => $"{advertiser}, funded from abroad", _ => $"{party} campaign" };
            for (int c = 0; c < d.Channels.Length; c++)
            {
                var ch = d.Channels[c];
                if (ch.Kind != ChannelKind.PaidSocial) continue;
                var byUnit = new SortedDictionary<int, List<int>>();
                for (int i = 0; i < e.VoterCount; i++)
                    if (d.Contacts[c][i] > 0) { if (!byUnit.TryGetValue(d.Unit[c][i], out var l)) byUnit[d.Unit[c][i]] = l = []; l.Add(i); }
                var unitSize = new Dictionary<int, int>();
                for (int i = 0; i < e.VoterCount; i++) unitSize[d.Unit[c][i]] = unitSize.GetValueOrDefault(d.Unit[c][i]) + 1;
                foreach (var (unit, voters) in byUnit)
                {
                    long contacts = voters.Sum(i => (long)d.Contacts[c][i]);
                    double spend = contacts * ch.Cost;
                    long impressions = contacts * ImpressionsPerContact;
                    var rng = new RandomStream(Seeds.Derive((ulong)context.SeedColumn, SeedLabels.ReplicateColumn.ArchiveAd, (ulong)a, (ulong)c), StreamIds.ArchiveAd(partyIndex), (ulong)unit);
                    int startDay = rng.NextInt(CampaignDays / 2);
                    int lastDay = CampaignDays - (int)Math.Ceiling(reg?.SilenceDays ?? 0) - 1;
                    bool dark = reg is { DarkPostShare: > 0 } && rng.NextDouble() < reg.DarkPostShare && (context.DarkPostSponsors?.Contains(advertiser) ?? true);
                    var bands = voters.Select(AgeBand).Distinct().Order().Select(BandLabel).ToArray();
                    var (ages, genders, locations, truth) = Declared(e, d.UnitKinds[c], voters, unit);
                    records.Add(new AdRecord
                    {
                        Id = $"{context.ScenarioName}-{armName}-{context.Replicate}-{advertiser.Replace("(", "").Replace(")", "")}-{ch.Name}-{unit}".ToLowerInvariant().Replace(' ', '-'),
                        Sponsor = advertiser, FundingEntity = funder, Payer = funder, Beneficiary = party,
                        Channel = ch.Name, Creative = $"{party}: {ch.Name} creative {unit % 7 + 1}",
                        Spend = spend, Impressions = impressions, SpendRange = MetaSpend(spend), ImpressionsRange = MetaImpressions(impressions),
                        AudienceSize = AudienceBucket(unitSize[unit]),
                        Demographics = DemographicShares(e, voters, i => d.Contacts[c][i]),
                        Regions = RegionShares(e, voters, i => d.Contacts[c][i]),
                        TargetAges = ages, TargetGenders = genders, TargetLocations = locations,
                        Start = CampaignStart.AddDays(startDay), End = CampaignStart.AddDays(Math.Max(startDay, lastDay)),
                        Dark = dark, TrueTargeting = truth, TrueAgeBands = bands, Recipients = voters.ToArray(),
                    });
                }
            }
        }
        return new AdArchive(e, records);

        int AgeBand(int i) => Electorate.ElectorateSpec.AgeBandOf(e.Age[i]);
    }

    private static string BandLabel(int b) => Electorate.ElectorateSpec.AgeBandLabel(b);
    internal static string GenderLabel(byte g) => g switch { 0 => "female", 1 => "male", _ => "unknown" };

    /// <summary>The age × gender distribution of an ad's delivery as the archive publishes it: percentages of contacts, rounded to 0.01, keyed "band|gender".</summary>
    internal static Share[] DemographicShares(Electorate.Electorate e, IReadOnlyList<int> voters, Func<int, int> contacts)
    {
        long total = voters.Sum(i => (long)contacts(i));
        return voters.GroupBy(i => (Electorate.ElectorateSpec.AgeBandOf(e.Age[i]), e.Gender[i])).OrderBy(g => g.Key).Select(g =>
            new Share($"{BandLabel(g.Key.Item1)}|{GenderLabel(g.Key.Item2)}", Math.Round(100.0 * g.Sum(i => contacts(i)) / total, 2))).ToArray();
    }

    /// <summary>The regional distribution of an ad's delivery as the archive publishes it: percentages of contacts, rounded to 0.01, keyed "region k".</summary>
    internal static Share[] RegionShares(Electorate.Electorate e, IReadOnlyList<int> voters, Func<int, int> contacts)
    {
        long total = voters.Sum(i => (long)contacts(i));
        return voters.GroupBy(i => (int)e.ConstituencyRegion[e.Constituency[i]]).OrderBy(g => g.Key).Select(g =>
            new Share($"region {g.Key + 1}", Math.Round(100.0 * g.Sum(i => contacts(i)) / total, 2))).ToArray();
    }

    /// <summary>An archive of the given ads (for audits of constructed cases).</summary>
    internal static AdArchive FromRecords(Electorate.Electorate e, IReadOnlyList<AdRecord> records) => new(e, records);

    /// <summary>The targeting a campaign declares for a unit, and the hidden truth of what it selected on.</summary>
    private static (string Ages, string Genders, string Locations, string Truth) Declared(Electorate.Electorate e, string kind, List<int> voters, int unit)
    {
        string Constituency(int k) => $"constituency {k + 1}";
        // Paid social with custom audiences: units from the offset on are the platform audiences of the voters the platform could not match.
        if (Campaigns.CampaignEngine.SplitCustomAudienceKind(kind) is { } split)
            return unit >= split.Offset ? Declared(e, split.PlatformKind, voters, unit - split.Offset) : Declared(e, "custom-audience", voters, unit);
        return kind switch
        {
            "constituency-age" => ($"{BandOf(unit % 6)}", "all", Constituency(unit / 6), $"platform audience: {Constituency(unit / 6)}, ages {BandOf(unit % 6)}"),
            "constituency" => ("18-65+", "all", Constituency(unit), $"platform audience: {Constituency(unit)}"),
            "region-age" => ($"{BandOf(unit % 6)}", "all", $"region {unit / 6 + 1}", $"platform audience widened to the minimum audience: region {unit / 6 + 1}, ages {BandOf(unit % 6)}"),
            "region" => ("18-65+", "all", $"region {unit + 1}", $"platform audience widened to the minimum audience: region {unit + 1}"),
            "national" => ("18-65+", "all", "national", "platform audience widened to the minimum audience: the whole electorate"),
            "custom-audience" => ("18-65+", "all", "national", "custom audience: voters uploaded from the campaign's file, chosen by score"),
            "cell" => ("18-65+", "all", Constituency(e.Constituency[voters[0]]), "cell-level score (micro-cells of households)"),
            "voter" => ("18-65+", "all", "national", "individual score"),
            "influencer" => ("18-65+", "all", "national", "influencer seeding"),
            "age-education" => ($"{BandOf(unit / 3)}", "all", "national", $"demographic: ages {BandOf(unit / 3)}, education level {unit % 3}"),
            _ => ("18-65+", "all", "national", "broadcast: everyone"),
        };
        static string BandOf(int b) => BandLabel(b);
    }

    /// <summary>Meta Ad Library spend buckets (currency).</summary>
    public static Range MetaSpend(double spend) => Bucket(spend, [0, 100, 500, 1000, 5000, 10000, 50000, 100000, 200000, 500000, 1000000]);
    /// <summary>Meta Ad Library impression buckets.</summary>
    public static Range MetaImpressions(long impressions) => Bucket(impressions, [0, 1000, 5000, 10000, 50000, 100000, 200000, 500000, 1000000]);
    /// <summary>Google political-ads spend buckets.</summary>
    public static Range GoogleSpend(double spend) => Bucket(spend, [0, 100, 1000, 50000, 100000]);
    /// <summary>Google political-ads impression buckets.</summary>
    public static Range GoogleImpressions(long impressions) => Bucket(impressions, [0, 10000, 100000, 1000000, 10000000]);
    private static Range AudienceBucket(int size) => Bucket(size, [0, 1000, 10000, 100000, 500000, 1000000]);

    private static Range Bucket(double v, long[] edges)
    {
        for (int k = 0; k < edges.Length - 1; k++) if (v < edges[k + 1]) return new Range(edges[k], edges[k + 1] - 1);
        return new Range(edges[^1], null);
    }

    /// <summary>"Why am I seeing this ad?" — every ad voter <paramref name="voter"/> received, with the declared reason.</summary>
    public IReadOnlyList<string> Explain(int voter) => All.Where(a => a.Recipients.Contains(voter)).Select(a =>
        $"{a.Sponsor} paid for this {a.Channel} ad ({a.Id}){(a.Dark ? " — a dark post, absent from the archive" : "")}. "
        + $"Declared targeting: ages {a.TargetAges}, {a.TargetGenders} genders, {a.TargetLocations}.").ToArray();

    /// <summary>The published archive in Meta Ad Library API fields (JSON).</summary>
    public JsonArray ToMetaJson() => new(Published.Select(a => (JsonNode)new JsonObject
    {
        ["id"] = a.Id, ["ad_delivery_start_time"] = a.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["ad_delivery_stop_time"] = a.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["page_name"] = a.Sponsor, ["bylines"] = a.FundingEntity, ["currency"] = "XXX",
        ["spend"] = Bounds(a.SpendRange), ["impressions"] = Bounds(a.ImpressionsRange), ["estimated_audience_size"] = Bounds(a.AudienceSize),
        ["demographic_distribution"] = new JsonArray(a.Demographics.Select(s => (JsonNode)new JsonObject
            { ["age"] = s.Key.Split('|')[0], ["gender"] = s.Key.Split('|')[1], ["percentage"] = (s.Percentage / 100).ToString("0.####", CultureInfo.InvariantCulture) }).ToArray()),
        ["delivery_by_region"] = new JsonArray(a.Regions.Select(s => (JsonNode)new JsonObject { ["region"] = s.Key, ["percentage"] = (s.Percentage / 100).ToString("0.####", CultureInfo.InvariantCulture) }).ToArray()),
        ["publisher_platforms"] = new JsonArray("facebook", "instagram"),
        ["ad_creative_bodies"] = new JsonArray(a.Creative),
        ["target_ages"] = a.TargetAges, ["target_gender"] = a.TargetGenders, ["target_locations"] = a.TargetLocations,
        ["beneficiary_payers"] = new JsonArray(new JsonObject { ["payer"] = a.Payer, ["beneficiary"] = a.Beneficiary }),
    }).ToArray());

    private static JsonObject Bounds(Range r) => r.Upper is long u
        ? new JsonObject { ["lower_bound"] = r.Lower.ToString(CultureInfo.InvariantCulture), ["upper_bound"] = u.ToString(CultureInfo.InvariantCulture) }
        : new JsonObject { ["lower_bound"] = r.Lower.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Field names of the Google political-ads creative report, in order.</summary>
    public static IReadOnlyList<string> GoogleFields { get; } =
    [
        "Ad_ID", "Ad_Type", "Regions", "Advertiser_ID", "Advertiser_Name", "Date_Range_Start", "Date_Range_End", "Num_of_Days",
        "Impressions", "Spend_Range_Min", "Spend_Range_Max", "Age_Targeting", "Gender_Targeting", "Geo_Targeting_Included", "Geo_Targeting_Excluded",
    ];

    /// <summary>The published archive as rows of the Google political-ads creative report.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ToGoogleRows() => Published.Select(a =>
    {
        var s = GoogleSpend(a.Spend); var im = GoogleImpressions(a.Impressions);
        return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["Ad_ID"] = a.Id, ["Ad_Type"] = "IMAGE", ["Regions"] = string.Join(",", a.Regions.Select(r => r.Key)),
            ["Advertiser_ID"] = "AR-" + a.Sponsor.ToUpperInvariant(), ["Advertiser_Name"] = a.FundingEntity,
            ["Date_Range_Start"] = a.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Date_Range_End"] = a.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Num_of_Days"] = (a.End.DayNumber - a.Start.DayNumber + 1).ToString(CultureInfo.InvariantCulture),
            ["Impressions"] = im.Upper is long iu ? $"{im.Lower}-{iu}" : $"> {im.Lower}",
            ["Spend_Range_Min"] = s.Lower.ToString(CultureInfo.InvariantCulture), ["Spend_Range_Max"] = s.Upper?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["Age_Targeting"] = a.TargetAges, ["Gender_Targeting"] = a.TargetGenders, ["Geo_Targeting_Included"] = a.TargetLocations, ["Geo_Targeting_Excluded"] = "",
        };
    }).ToArray();

    /// <summary>Column names of <see cref="ToMetaTable"/>, in order.</summary>
    public static IReadOnlyList<string> MetaCsvFields { get; } =
    [
        "id", "page_name", "bylines", "ad_delivery_start_time", "ad_delivery_stop_time", "spend_lower", "spend_upper", "impressions_lower", "impressions_upper",
        "estimated_audience_size_lower", "estimated_audience_size_upper", "demographic_distribution", "delivery_by_region", "target_ages", "target_gender",
        "target_locations", "payer", "beneficiary", "ad_creative_body",
    ];

    /// <summary>The published archive in the Meta layout, flattened to text columns (<see cref="MetaCsvFields"/>: bounds as two columns, an open upper bound empty, distributions as key:share lists joined by ';').</summary>
    public ColumnTable ToMetaTable()
    {
        var ci = CultureInfo.InvariantCulture;
        return TextTable(MetaCsvFields, Published.Select(a => new[]
        {
            a.Id, a.Sponsor, a.FundingEntity, a.Start.ToString("yyyy-MM-dd", ci), a.End.ToString("yyyy-MM-dd", ci),
            a.SpendRange.Lower.ToString(ci), a.SpendRange.Upper?.ToString(ci) ?? "", a.ImpressionsRange.Lower.ToString(ci), a.ImpressionsRange.Upper?.ToString(ci) ?? "",
            a.AudienceSize.Lower.ToString(ci), a.AudienceSize.Upper?.ToString(ci) ?? "",
            string.Join(";", a.Demographics.Select(s => $"{s.Key}:{s.Percentage.ToString(ci)}")), string.Join(";", a.Regions.Select(s => $"{s.Key}:{s.Percentage.ToString(ci)}")),
            a.TargetAges, a.TargetGenders, a.TargetLocations, a.Payer, a.Beneficiary, a.Creative,
        }).ToArray());
    }

    /// <summary>The published archive in the Google layout (<see cref="GoogleFields"/>, the values of <see cref="ToGoogleRows"/>), as text columns.</summary>
    public ColumnTable ToGoogleTable() => TextTable(GoogleFields, ToGoogleRows().Select(row => GoogleFields.Select(f => row[f]).ToArray()).ToArray());

    /// <summary>CSV of the Meta layout (<see cref="ToMetaTable"/> written by <see cref="ColumnTable.ToCsv"/>).</summary>
    public string ToMetaCsv() => ToMetaTable().ToCsv();

    /// <summary>CSV of the Google layout (<see cref="ToGoogleTable"/> written by <see cref="ColumnTable.ToCsv"/>).</summary>
    public string ToGoogleCsv() => ToGoogleTable().ToCsv();

    private static ColumnTable TextTable(IReadOnlyList<string> names, string[][] rows) =>
        new(names.Select((name, j) => new TableColumn(name, rows.Select(r => r[j]).ToArray())).ToArray());
}

/// <summary>
/// What the published archive shows of how an ad audience is composed on an attribute the archive does not publish (a GDPR
/// Art. 9 special category: <c>minority</c>, <c>health</c>), against the truth (<see cref="Audit.HiddenAttribute"/>).
/// </summary>
/// <param name="Attribute">The attribute audited.</param>
/// <param name="PopulationShare">Share of the electorate with the attribute.</param>
/// <param name="TrueShare">Share of paid-social audiences with the attribute, every ad (dark posts included) weighted by its true spend: the truth.</param>
/// <param name="ArchiveEstimate">The auditor's estimate from the published ads alone: each ad's published age × gender and regional delivery combined with the electorate's rates of the attribute in those cells (a census table), weighted by the midpoint of its published spend range.</param>
/// <param name="Ads">Published ads with at least <see cref="Audit.MinimumRecipients"/> recipients, the ads classified one by one (the shares above count every ad).</param>
/// <param name="SkewedAds">Of those, the ads whose true audience over- or under-represents the attribute by <see cref="Audit.OverRepresentation"/> or more.</param>
/// <param name="DetectedSkewedAds">Of those, the ads the auditor's estimate also puts beyond that factor, in the same direction.</param>
/// <param name="FalseAlarms">Published ads the estimate puts beyond the factor whose true audience is not.</param>
/// <param name="DarkSpendShare">Share of paid-social spend in dark posts, which no audit of the archive sees.</param>
/// <param name="SmallAds">Published ads with fewer recipients than <see cref="Audit.MinimumRecipients"/>: too few to classify one by one (an ad to one voter is 0% or 100% anything).</param>
/// <param name="CellRateLow">The attribute's lowest rate in a published age × gender cell of the electorate.</param>
/// <param name="CellRateHigh">Its highest rate in such a cell.</param>
/// <param name="RegionRateLow">Its lowest rate in a region.</param>
/// <param name="RegionRateHigh">Its highest rate in a region.</param>
/// <param name="MaximumEstimate">The largest share the archive's estimate can give any audience: an audience entirely in the highest cell and the highest region (clipped to 1). Below <see cref="Audit.OverRepresentation"/> × <paramref name="PopulationShare"/>, no ad can be flagged as over-representing the attribute, whoever it reached.</param>
/// <param name="DetectedIfSelected">A flagrant violation as a yardstick: had each classified ad gone to as many holders of the attribute, drawn at random among the holders in the regions it was delivered to, how many of these ads the archive's estimate would flag as over-representing it.</param>
public sealed record HiddenAttributeAudit(string Attribute, double PopulationShare, double TrueShare, double ArchiveEstimate,
    int Ads, int SkewedAds, int DetectedSkewedAds, int FalseAlarms, double DarkSpendShare, int SmallAds,
    double CellRateLow, double CellRateHigh, double RegionRateLow, double RegionRateHigh, double MaximumEstimate, int DetectedIfSelected);

/// <summary>An audit of marginal-seat spending from a published archive, against the truth (shares of all paid-social spend).</summary>
/// <param name="TrueShare">Spend delivered to voters in marginal seats (the truth, dark posts included).</param>
/// <param name="VisibleShare">Published spend declared for a marginal constituency (what the auditor can attribute).</param>
/// <param name="UnplacedShare">Published spend declared only for a region or nationally: its seats cannot be told from the archive.</param>
/// <param name="DarkShare">Spend on dark posts, absent from the archive.</param>
/// <param name="MarginalSeatShare">The marginal seats' share of all seats (the share of spend an untargeted campaign would put there, roughly).</param>
public sealed record MarginalSeatAudit(double TrueShare, double VisibleShare, double UnplacedShare, double DarkShare, double MarginalSeatShare);

/// <summary>
/// The audit helper: infer each published ad's targeted age bands from its demographic distribution (bands delivered
/// at least <see cref="Audit.OverRepresentation"/> times their share of the electorate), and score the inference against the
/// hidden truth (the bands the audience actually covered); and measure what the archive shows of spending in marginal seats
/// (<see cref="Audit.MarginalSeats"/>).
/// </summary>
public static class Audit
{
    /// <summary>How over-represented a band must be to be inferred as targeted.</summary>
    public const double OverRepresentation = 1.5;

    /// <summary>Inferred targeted age bands per published ad.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> InferAgeBands(AdArchive archive, Electorate.Electorate e)
    {
        var population = new Dictionary<string, double>();
        for (int i = 0; i < e.VoterCount; i++)
        {
            string label = Electorate.ElectorateSpec.AgeBandLabel(Electorate.ElectorateSpec.AgeBandOf(e.Age[i]));
            population[label] = population.GetValueOrDefault(label) + 100.0 / e.VoterCount;
        }
        return archive.Published.ToDictionary(a => a.Id, a =>
        {
            var byBand = a.Demographics.GroupBy(s => s.Key.Split('|')[0]).ToDictionary(g => g.Key, g => g.Sum(s => s.Percentage));
            var inferred = byBand.Where(kv => kv.Value >= OverRepresentation * population.GetValueOrDefault(kv.Key, 100)).Select(kv => kv.Key).Order().ToArray();
            return (IReadOnlyList<string>)(inferred.Length == 0 ? byBand.Keys.Order().ToArray() : inferred);
        });
    }

    /// <summary>
    /// What an auditor can tell from the published archive about spending in the marginal seats
    /// (<paramref name="marginal"/>: the constituencies the auditor counts as marginal, e.g. the closest quarter by published past
    /// results), against the truth: the true share of paid-social spend delivered to voters in marginal seats (every ad, dark
    /// posts included, apportioned by its recipients), the share the archive shows as declared for marginal constituencies,
    /// and the shares it cannot place — ads declared only for a region or nationally (custom audiences, widened audiences) and
    /// dark posts (never published). Visible ≤ true + hidden: the archive bounds the truth only as far as it is complete and
    /// as fine as its declared locations.
    /// </summary>
    public static MarginalSeatAudit MarginalSeats(AdArchive archive, Electorate.Electorate e, IReadOnlySet<int> marginal)
    {
        ArgumentNullException.ThrowIfNull(archive); ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(marginal);
        double total = archive.All.Sum(a => a.Spend);
        if (total <= 0) return new MarginalSeatAudit(0, 0, 0, 0, 0);
        double truth = 0, visible = 0, unplaced = 0, dark = 0;
        foreach (var a in archive.All)
        {
            if (a.Recipients.Count > 0) truth += a.Spend * a.Recipients.Count(i => marginal.Contains(e.Constituency[i])) / a.Recipients.Count;
            if (a.Dark) { dark += a.Spend; continue; }
            if (a.TargetLocations.StartsWith("constituency ", StringComparison.Ordinal)
                && int.TryParse(a.TargetLocations.AsSpan("constituency ".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k))
            { if (marginal.Contains(k - 1)) visible += a.Spend; }
            else unplaced += a.Spend;
        }
        return new MarginalSeatAudit(truth / total, visible / total, unplaced / total, dark / total, (double)marginal.Count / e.ConstituencyCount);
    }

    /// <summary>The attributes an archive never publishes that <see cref="HiddenAttribute"/> audits: the electorate's GDPR Art. 9 special-category flags.</summary>
    public static IReadOnlyList<string> HiddenAttributes { get; } = ["minority", "health"];

    /// <summary>
    /// Recipients an ad needs to be classified as skewed or not by <see cref="HiddenAttribute"/>: at 100 the sampling sd of a
    /// share near 0.2 is 4 points, so a deviation by <see cref="OverRepresentation"/> (10 points) is about 2.5 sd.
    /// </summary>
    public const int MinimumRecipients = 100;

    /// <summary>
    /// Whether the published archive shows targeting on an attribute it does not publish. Ad libraries publish who saw an ad
    /// by age, gender and region only, so an auditor can estimate an audience's share of, say, a religious minority only
    /// through those cells: the ad's published age × gender shares and regional shares, each combined with the electorate's
    /// rate of the attribute in that cell, and the two combined as independent adjustments of the national rate,
    /// estimate = p × (Σ_cells d·r_cell ÷ p) × (Σ_regions q·r_region ÷ p), clipped to [0, 1]. Selection on a published cell
    /// (ages, a region) shows in that estimate; selection on the attribute itself, or on a score that predicts it, shows only
    /// as far as it moves the published cells. The truth is each ad's recipients' share. Used with a ban on the attribute
    /// (eu-gdpr bans both flags): a campaign obeying the ban can still skew its audiences through proxies, and the audit
    /// says how much of that skew the archive reveals.
    /// </summary>
    /// <param name="archive">The archive (published ads and, hidden, dark posts and recipients).</param>
    /// <param name="e">The electorate it was delivered to.</param>
    /// <param name="attribute">One of <see cref="HiddenAttributes"/>.</param>
    /// <param name="seed">Seeds the counterfactual audiences of <see cref="HiddenAttributeAudit.DetectedIfSelected"/> (default: the library's default seed).</param>
    public static HiddenAttributeAudit HiddenAttribute(AdArchive archive, Electorate.Electorate e, string attribute, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(archive); ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(attribute);
        byte[] flag = attribute switch
        {
            "minority" => e.Minority,
            "health" => e.Health,
            _ => throw new ArgumentException($"attribute must be one of {string.Join(", ", HiddenAttributes)}; got '{attribute}'.", nameof(attribute)),
        };
        int n = e.VoterCount;
        // Counts by age band × gender code and by region index, labelled once afterwards with the archive's own keys.
        var byCell = new Dictionary<(int Band, byte Gender), (int All, int With)>();
        var byRegion = new Dictionary<int, (int All, int With)>();
        long withAttribute = 0;
        for (int i = 0; i < n; i++)
        {
            int f = flag[i] != 0 ? 1 : 0;
            withAttribute += f;
            var cell = (Electorate.ElectorateSpec.AgeBandOf(e.Age[i]), e.Gender[i]);
            int region = e.ConstituencyRegion[e.Constituency[i]];
            var c = byCell.GetValueOrDefault(cell); byCell[cell] = (c.All + 1, c.With + f);
            var r = byRegion.GetValueOrDefault(region); byRegion[region] = (r.All + 1, r.With + f);
        }
        var cellCount = byCell.ToDictionary(kv => $"{Electorate.ElectorateSpec.AgeBandLabel(kv.Key.Band)}|{AdArchive.GenderLabel(kv.Key.Gender)}", kv => kv.Value);
        var regionCount = byRegion.ToDictionary(kv => $"region {kv.Key + 1}", kv => kv.Value);
        double p = n == 0 ? 0 : (double)withAttribute / n;
        double[] cellRates = cellCount.Count == 0 ? [0] : cellCount.Values.Select(x => (double)x.With / x.All).ToArray();
        double[] regionRates = regionCount.Count == 0 ? [0] : regionCount.Values.Select(x => (double)x.With / x.All).ToArray();
        double Rate(Dictionary<string, (int All, int With)> table, string key) => table.TryGetValue(key, out var x) && x.All > 0 ? (double)x.With / x.All : p;
        double Weighted(IReadOnlyList<Share> shares, Dictionary<string, (int All, int With)> table)
        {
            double total = shares.Sum(s => s.Percentage);
            return total <= 0 ? p : shares.Sum(s => s.Percentage * Rate(table, s.Key)) / total;
        }
        double Estimate(IReadOnlyList<Share> demographics, IReadOnlyList<Share> regions) =>
            p <= 0 ? 0 : Math.Clamp(p * (Weighted(demographics, cellCount) / p) * (Weighted(regions, regionCount) / p), 0, 1);
        bool Beyond(double share, out int direction)
        {
            direction = share >= OverRepresentation * p ? 1 : share <= p / OverRepresentation ? -1 : 0;
            return direction != 0;
        }

        double spendAll = 0, trueWeighted = 0, dark = 0, midAll = 0, estimateWeighted = 0;
        int ads = 0, skewed = 0, detected = 0, falseAlarms = 0, small = 0, detectedIfSelected = 0;
        ulong stream = Seeds.Resolve(seed);
        Dictionary<int, List<int>>? holdersByRegion = null;
        for (int index = 0; index < archive.All.Count; index++)
        {
            var a = archive.All[index];
            if (a.Recipients.Count == 0) continue;
            double t = (double)a.Recipients.Count(i => flag[i] != 0) / a.Recipients.Count;
            spendAll += a.Spend; trueWeighted += a.Spend * t;
            if (a.Dark) { dark += a.Spend; continue; }
            double estimate = Estimate(a.Demographics, a.Regions);
            double mid = a.SpendRange.Upper is long u ? (a.SpendRange.Lower + u) / 2.0 : a.SpendRange.Lower;
            midAll += mid; estimateWeighted += mid * estimate;
            if (a.Recipients.Count < MinimumRecipients) { small++; continue; }
            ads++;
            bool isSkewed = Beyond(t, out int trueDirection), flagged = Beyond(estimate, out int estimateDirection);
            if (isSkewed) { skewed++; if (flagged && estimateDirection == trueDirection) detected++; }
            else if (flagged) falseAlarms++;
            // The yardstick: the same number of recipients, all holders of the attribute, in the regions the ad reached.
            holdersByRegion ??= Enumerable.Range(0, n).Where(i => flag[i] != 0).GroupBy(i => (int)e.ConstituencyRegion[e.Constituency[i]]).ToDictionary(g => g.Key, g => g.ToList());
            var pool = a.Recipients.Select(i => (int)e.ConstituencyRegion[e.Constituency[i]]).Distinct().Order()
                .SelectMany(r => holdersByRegion.GetValueOrDefault(r) ?? []).ToArray();
            int k = Math.Min(a.Recipients.Count, pool.Length);
            var rng = new RandomStream(stream, StreamIds.AuditCounterfactual, (ulong)index);
            for (int j = 0; j < k; j++) { int pick = j + rng.NextInt(pool.Length - j); (pool[j], pool[pick]) = (pool[pick], pool[j]); }
            var chosen = pool.AsSpan(0, k).ToArray();
            double counterfactual = Estimate(AdArchive.DemographicShares(e, chosen, _ => 1), AdArchive.RegionShares(e, chosen, _ => 1));
            if (k > 0 && Beyond(counterfactual, out int direction) && direction > 0) detectedIfSelected++;
        }
        return new HiddenAttributeAudit(attribute, p, spendAll > 0 ? trueWeighted / spendAll : p, midAll > 0 ? estimateWeighted / midAll : p,
            ads, skewed, detected, falseAlarms, spendAll > 0 ? dark / spendAll : 0, small,
            cellRates.Min(), cellRates.Max(), regionRates.Min(), regionRates.Max(),
            p <= 0 ? 0 : Math.Min(1, cellRates.Max() * regionRates.Max() / p), detectedIfSelected);
    }

    /// <summary>Mean Jaccard similarity between inferred and true age bands over published ads (1: perfect inference).</summary>
    public static double Score(AdArchive archive, IReadOnlyDictionary<string, IReadOnlyList<string>> inferred)
    {
        var ads = archive.Published;
        if (ads.Count == 0) return double.NaN;
        return ads.Average(a =>
        {
            var t = a.TrueAgeBands.ToHashSet();
            var i = inferred.TryGetValue(a.Id, out var x) ? x.ToHashSet() : [];
            int union = t.Union(i).Count();
            return union == 0 ? 1 : (double)t.Intersect(i).Count() / union;
        });
    }
}
