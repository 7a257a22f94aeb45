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
            Expect.equal (google.[0].Split(',')) AdArchive.GoogleFields "Google header"
            Expect.equal google.Length (archive.Published.Count + 1) "rows"
            Expect.isFalse (archive.ToMetaCsv().Contains "platform audience") "the true targeting is never exported"
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
