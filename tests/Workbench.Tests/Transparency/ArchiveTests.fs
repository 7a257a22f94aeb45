module Workbench.Tests.Transparency.ArchiveTests

open System
open System.Text.Json.Nodes
open Expecto
open Workbench.Experiments
open Workbench.Transparency

let private card name = Scenario.Builtin(name).With(replicates = Nullable 1, voters = Nullable 20000)
let private archives = Collections.Concurrent.ConcurrentDictionary<string, Lazy<ReplicateRun * AdArchive>>()
let private archiveOf name =
    archives.GetOrAdd(name, fun n -> lazy (let run = Simulation.Detail(card n, 0, Nullable 2) in run, run.Archive("campaign"))).Value

[<Tests>]
let tests =
    testList "Transparency.Archive" [
        test "every delivered paid-social ad is recorded: archive spend equals the campaigns' paid-social spend, and published totals lie within the bucket bounds" {
            let run, archive = archiveOf "regulation-none"
            let arm = run.Arm(0)
            let paid =
                arm.Outcomes.Values |> Seq.sumBy (fun o ->
                    o.SpendByChannel |> Seq.filter (fun kv -> run.Scenario.Channel(kv.Key).Kind = Workbench.Behaviour.ChannelKind.PaidSocial) |> Seq.sumBy (fun kv -> kv.Value))
            Expect.floatClose { absolute = 1e-6; relative = 1e-9 } (archive.All |> Seq.sumBy (fun a -> a.Spend)) paid "archive = delivered"
            let published = archive.Published
            let spend = published |> Seq.sumBy (fun a -> a.Spend)
            let lower = published |> Seq.sumBy (fun a -> float a.SpendRange.Lower)
            let upper = published |> Seq.sumBy (fun a -> match Option.ofNullable a.SpendRange.Upper with Some u -> float u + 1.0 | None -> infinity)
            Expect.isTrue (lower <= spend && spend <= upper) (sprintf "%.0f ≤ %.0f ≤ %.0f" lower spend upper)
            Expect.isTrue (published |> Seq.forall (fun a -> a.SpendRange.Contains a.Spend && a.ImpressionsRange.Contains(float a.Impressions))) "each ad in its buckets"
            Expect.equal published.Count archive.All.Count "no dark posts without the rule"
        }
        test "exported archives parse back and carry every required field (Meta JSON and CSV, Google CSV)" {
            let _, archive = archiveOf "regulation-none"
            let meta = JsonNode.Parse(archive.ToMetaJson().ToJsonString()).AsArray()
            Expect.equal meta.Count archive.Published.Count "one entry per published ad"
            let required = [ "id"; "ad_delivery_start_time"; "ad_delivery_stop_time"; "page_name"; "bylines"; "currency"; "spend"; "impressions"; "estimated_audience_size"
                             "demographic_distribution"; "delivery_by_region"; "publisher_platforms"; "ad_creative_bodies"; "target_ages"; "target_gender"; "target_locations"; "beneficiary_payers" ]
            for ad in meta do
                for f in required do Expect.isNotNull ad.[f] f
                Expect.isNotNull ad.["spend"].["lower_bound"] "spend lower bound"
            let metaCsv = archive.ToMetaCsv().TrimEnd('\n').Split('\n')
            Expect.equal metaCsv.Length (archive.Published.Count + 1) "header and one row per ad"
            let google = archive.ToGoogleCsv().TrimEnd('\n').Split('\n')
            Expect.equal (google.[0].Split(',') |> List.ofArray) (List.ofSeq AdArchive.GoogleFields) "Google header"
            Expect.equal google.Length (archive.Published.Count + 1) "rows"
            Expect.isFalse (archive.ToMetaCsv().Contains "platform audience") "the true targeting is never exported"
        }
        test "the CSV exports are the documented layouts byte for byte: every field RFC 4180 quoted only when needed, bounds as two columns, distributions as key:share lists" {
            let _, archive = archiveOf "regulation-transparency"
            let ci = Globalization.CultureInfo.InvariantCulture
            let esc (s: string) = if s.IndexOfAny([| ','; '"'; '\n'; '\r' |]) >= 0 then "\"" + s.Replace("\"", "\"\"") + "\"" else s
            let csv (header: string) (rows: seq<string list>) = header + "\n" + String.Concat(rows |> Seq.map (fun r -> String.Join(",", r |> List.map esc) + "\n"))
            let upper (r: Range) = if r.Upper.HasValue then r.Upper.Value.ToString(ci) else ""
            let shares (xs: seq<Share>) = String.Join(";", xs |> Seq.map (fun s -> s.Key + ":" + s.Percentage.ToString(ci)))
            let meta =
                csv "id,page_name,bylines,ad_delivery_start_time,ad_delivery_stop_time,spend_lower,spend_upper,impressions_lower,impressions_upper,estimated_audience_size_lower,estimated_audience_size_upper,demographic_distribution,delivery_by_region,target_ages,target_gender,target_locations,payer,beneficiary,ad_creative_body"
                    (archive.Published |> Seq.map (fun a ->
                        [ a.Id; a.Sponsor; a.FundingEntity; a.Start.ToString("yyyy-MM-dd", ci); a.End.ToString("yyyy-MM-dd", ci)
                          a.SpendRange.Lower.ToString(ci); upper a.SpendRange; a.ImpressionsRange.Lower.ToString(ci); upper a.ImpressionsRange
                          a.AudienceSize.Lower.ToString(ci); upper a.AudienceSize; shares a.Demographics; shares a.Regions
                          a.TargetAges; a.TargetGenders; a.TargetLocations; a.Payer; a.Beneficiary; a.Creative ]))
            Expect.equal (archive.ToMetaCsv()) meta "Meta CSV bytes"
            let google = csv (String.Join(",", AdArchive.GoogleFields)) (archive.ToGoogleRows() |> Seq.map (fun row -> AdArchive.GoogleFields |> Seq.map (fun f -> row.[f]) |> List.ofSeq))
            Expect.equal (archive.ToGoogleCsv()) google "Google CSV bytes"
            Expect.stringContains google "\"" "some Google field (a list of regions) is quoted, so the quoting is exercised"
        }
        test "dark posts are delivered but never archived, and count as violations" {
            let run, archive = archiveOf "regulation-transparency"
            let dark = archive.All |> Seq.filter (fun a -> a.Dark) |> List.ofSeq
            Expect.isNonEmpty dark "dark posts exist when the scenario places them"
            Expect.isFalse (archive.Published |> Seq.exists (fun a -> a.Dark)) "absent from the published archive"
            Expect.isNonEmpty (run.Arm(0).Violations |> Seq.filter (fun v -> v.Kind = "dark-posts")) "violations recorded"
        }
        test "why am I seeing this ad: a recipient gets the declared reason; same seed, same archive" {
            let _, archive = archiveOf "regulation-human-scale"
            let ad = archive.All.[0]
            let voter = ad.Recipients.[0]
            let why = archive.Explain voter
            Expect.isNonEmpty why "explained"
            Expect.stringContains why.[0] "Declared targeting" "with the declared targeting"
            let again = Simulation.Detail(card "regulation-human-scale", 0, Nullable 1).Archive("campaign")
            Expect.equal (again.ToMetaJson().ToJsonString()) (archive.ToMetaJson().ToJsonString()) "deterministic whatever the threads"
        }
        test "auditing: age targeting of platform audiences is recovered from the published demographics; the score is a Jaccard mean in [0, 1]" {
            // Targeting limited to age, gender and location (no voter lists): the platform's age-band audiences, widened to
            // regions where constituencies hold fewer than the regime's minimum of people on the platform.
            let run, archive = archiveOf "platform-targeting-limits"
            let inferred = Audit.InferAgeBands(archive, run.Electorate)
            let platform = archive.Published |> Seq.filter (fun a -> a.TrueTargeting.Contains "ages") |> List.ofSeq
            Expect.isNonEmpty platform "age-targeted platform audiences exist under the platform's targeting limits"
            let exact = platform |> List.filter (fun a -> List.ofSeq inferred.[a.Id] = List.ofSeq a.TrueAgeBands) |> List.length
            Expect.isGreaterThan (float exact / float platform.Length) 0.8 (sprintf "%d of %d recovered exactly" exact platform.Length)
            let score = Audit.Score(archive, inferred)
            Expect.isTrue (score >= 0.0 && score <= 1.0) (sprintf "score %.3f" score)
        }
    ]

[<Tests>]
let marginalSeatAudit =
    test "Transparency.Audit.the archive bounds marginal-seat spending: visible ≤ true ≤ visible + unplaced + dark; custom audiences place nothing" {
        for name in [ "regulation-none"; "regulation-transparency"; "platform-targeting-limits" ] do
            let run, archive = archiveOf name
            let a = Audit.MarginalSeats(archive, run.Electorate, run.ClosestQuarter)
            printfn "%s: true %.3f, visible %.3f, unplaced %.3f, dark %.3f" name a.TrueShare a.VisibleShare a.UnplacedShare a.DarkShare
            Expect.isLessThanOrEqual a.VisibleShare (a.TrueShare + 1e-9) (name + ": what is visible is true")
            Expect.isLessThanOrEqual a.TrueShare (a.VisibleShare + a.UnplacedShare + a.DarkShare + 1e-9) (name + ": the truth is within the bounds")
            Expect.isTrue (a.TrueShare > 0.0 && a.TrueShare < 1.0) (name + ": some but not all spend in marginal seats")
            if name = "regulation-transparency" then Expect.isGreaterThan a.DarkShare 0.0 "dark posts hide spend"
            else Expect.equal a.DarkShare 0.0 "no dark posts"
        let _, none = archiveOf "regulation-none"
        let run, _ = archiveOf "regulation-none"
        Expect.equal (Audit.MarginalSeats(none, run.Electorate, run.ClosestQuarter).VisibleShare) 0.0 "custom audiences declare no constituency: nothing can be attributed"
        // At 20,000 voters uk-like's minimum of 100 people widens platform audiences to regions; under us-like (no minimum)
        // they declare their constituency, and the auditor can attribute them.
        let run2 = Simulation.Detail(Scenario.Builtin("platform-targeting-limits").WithRegime("us-like").With(replicates = Nullable 1, voters = Nullable 20000), 0, Nullable 2)
        let limits = Audit.MarginalSeats(run2.Archive("campaign"), run2.Electorate, run2.ClosestQuarter)
        Expect.isGreaterThan limits.VisibleShare 0.0 "declared constituencies can be attributed"
        Expect.isLessThanOrEqual limits.VisibleShare (limits.TrueShare + 1e-9) "and what is visible is true"
    }

/// An archive of hand-made ads on a real electorate: each ad reaches the given voters once, published with the archive's own
/// age × gender and regional shares (as AdArchive.Build publishes them), a spend of 1,000 and nothing dark.
let private handMade (e: Workbench.Electorate.Electorate) (audiences: int[] list) =
    let records =
        audiences |> List.mapi (fun k voters ->
            AdRecord(Id = sprintf "ad-%d" k, Spend = 1000.0, SpendRange = AdArchive.MetaSpend 1000.0,
                     Demographics = AdArchive.DemographicShares(e, voters, fun _ -> 1), Regions = AdArchive.RegionShares(e, voters, fun _ -> 1),
                     Recipients = voters))
    AdArchive.FromRecords(e, ResizeArray records)

[<Tests>]
let hiddenAttributeAudit =
    testList "Transparency.Audit.hidden attributes" [
        // The classroom electorate: minority and health flags are drawn with modest age and regional gradients (docs/electorate.md).
        let e = lazy (Workbench.Electorate.Generator.Generate(Workbench.Electorate.ElectorateSpec.Preset "classroom", 30000, 5UL))
        let holders (e: Workbench.Electorate.Electorate) (flag: byte[]) count =
            [| for i in 0 .. e.VoterCount - 1 do if flag.[i] <> 0uy then yield i |] |> Array.truncate count
        test "an audience of the attribute's holders is skewed in truth; the archive's estimate stays near the electorate's rate and below the flag" {
            let e = e.Value
            let audience = holders e e.Minority 400
            let a = Audit.HiddenAttribute(handMade e [ audience ], e, "minority")
            printfn "minority: population %.3f, true %.3f, estimate %.3f, max estimate %.3f" a.PopulationShare a.TrueShare a.ArchiveEstimate a.MaximumEstimate
            Expect.equal a.TrueShare 1.0 "every recipient holds it"
            Expect.equal (a.Ads, a.SkewedAds) (1, 1) "one classified ad, skewed"
            Expect.isLessThan a.ArchiveEstimate (Audit.OverRepresentation * a.PopulationShare) "the published cells cannot show it"
            Expect.equal a.DetectedSkewedAds 0 "so the audit misses it"
            Expect.isLessThan (abs (a.ArchiveEstimate - a.PopulationShare)) 0.05 "the estimate stays near the electorate's rate"
            Expect.equal a.DetectedIfSelected 0 "the yardstick audience (holders drawn in the same regions) is not flagged either"
            Expect.isTrue (a.CellRateLow <= a.PopulationShare && a.PopulationShare <= a.CellRateHigh) "the electorate's rate lies within the cell rates"
            Expect.isGreaterThanOrEqual a.MaximumEstimate a.ArchiveEstimate "no estimate exceeds the bound"
        }
        test "selection on a published cell shows in the estimate: an audience of the oldest band is estimated at that band's rate of the attribute" {
            let e = e.Value
            let oldest = [| for i in 0 .. e.VoterCount - 1 do if Workbench.Electorate.ElectorateSpec.AgeBandOf(float e.Age.[i]) = 5 then yield i |]
            let a = Audit.HiddenAttribute(handMade e [ oldest ], e, "health")
            let truth = float (oldest |> Array.filter (fun i -> e.Health.[i] <> 0uy) |> Array.length) / float oldest.Length
            printfn "health among 65+: true %.3f, estimate %.3f, population %.3f" a.TrueShare a.ArchiveEstimate a.PopulationShare
            Expect.floatClose { absolute = 1e-12; relative = 1e-12 } a.TrueShare truth "the truth is the recipients' share"
            // The whole band in every region: the regional adjustment is about 1, so the estimate is the band's rate.
            Expect.isLessThan (abs (a.ArchiveEstimate - truth)) 0.01 "the estimate recovers the band's rate"
            Expect.isGreaterThan a.ArchiveEstimate (a.PopulationShare + 0.02) "and it is above the electorate's"
        }
        test "ads below the minimum audience are counted as too small, dark posts are outside the published estimate, and unknown attributes are refused" {
            let e = e.Value
            let small = holders e e.Health 20
            let a = Audit.HiddenAttribute(handMade e [ small ], e, "health")
            Expect.equal (a.Ads, a.SmallAds) (0, 1) "an ad to 20 voters is not classified"
            Expect.equal a.TrueShare 1.0 "but its audience counts in the spend-weighted truth"
            let big = holders e e.Health 300
            let records = [ AdRecord(Id = "lit", Spend = 1000.0, SpendRange = AdArchive.MetaSpend 1000.0, Demographics = AdArchive.DemographicShares(e, big, fun _ -> 1),
                                     Regions = AdArchive.RegionShares(e, big, fun _ -> 1), Recipients = big)
                            AdRecord(Id = "dark", Spend = 3000.0, Dark = true, Recipients = big) ]
            let d = Audit.HiddenAttribute(AdArchive.FromRecords(e, ResizeArray records), e, "health")
            Expect.floatClose { absolute = 1e-12; relative = 1e-12 } d.DarkSpendShare 0.75 "three quarters of the spend is dark"
            Expect.equal d.Ads 1 "only the published ad is classified"
            Expect.throwsT<ArgumentException> (fun () -> Audit.HiddenAttribute(handMade e [ big ], e, "religion") |> ignore) "unknown attribute"
        }
        test "the counterfactual yardstick is seeded: the same seed gives the same audit, and the audit reads every published ad" {
            let run, archive = archiveOf "regulation-none"
            let x = Audit.HiddenAttribute(archive, run.Electorate, "health", Nullable 3)
            let y = Audit.HiddenAttribute(archive, run.Electorate, "health", Nullable 3)
            Expect.equal x y "same seed, same audit"
            Expect.equal (x.Ads + x.SmallAds) (archive.Published |> Seq.filter (fun a -> a.Recipients.Count > 0) |> Seq.length) "every published ad is classified or too small"
        }
    ]
