module Workbench.Tests.Scoring.ScoringTests

open System
open Expecto
open Workbench.Scoring
open Workbench.Data
open Workbench.Statistics

let private classroom = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable 1, Nullable 2))
let private scored = Collections.Concurrent.ConcurrentDictionary<string, Lazy<ScoringResult>>()
let private score regime =
    scored.GetOrAdd(regime, fun r -> lazy (Scorer.Score(classroom.Value, DataRegime.Preset r, null, 3))).Value

[<Tests>]
let models =
    testList "Scoring.Models" [
        test "classroom, fixed seeds: the US-like support AUC exceeds the Germany-like one, and both exceed 0.5; true-uplift correlations are reported" {
            let us, de = score "us-like", score "germany-like"
            Expect.isGreaterThan de.Support.Auc 0.5 "Germany-like better than chance"
            Expect.isGreaterThan us.Support.Auc de.Support.Auc (sprintf "US-like %.4f > Germany-like %.4f" us.Support.Auc de.Support.Auc)
            Expect.isGreaterThan us.Turnout.Auc de.Turnout.Auc "turnout too: individual voting history against cell means"
            for r in [ us; de ] do
                Expect.equal r.Uplift.Count 2 "T-learner and class transformation"
                for u in r.Uplift do Expect.isFalse (Double.IsNaN u.TrueUpliftCorrelation) (sprintf "%s / %s: correlation with the true uplift %.3f" r.Regime.Name u.Model u.TrueUpliftCorrelation)
        }
        test "an aggregated regime only ever gives the models cell means and public results; France-like has no voting history" {
            Expect.isTrue ((score "germany-like").Features |> Seq.forall (fun f -> f.Contains "cell mean" || f.Contains "public")) "cells only"
            Expect.isFalse ((score "france-like").Features |> Seq.exists (fun f -> f.StartsWith "past_turnout")) "no voting records"
            Expect.isFalse ((score "uk-like").Features |> Seq.exists (fun f -> f.StartsWith "minority" || f.StartsWith "health")) "no special categories"
        }
        test "canvass records cover the share of voters the coverage parameter says (biased toward voters at home)" {
            let e = classroom.Value
            let o = ScoringOptions(CanvassCoverage = 0.2)
            let struct (x, names) = Scorer.Features(e, DataRegime.Preset "us-like", 0, o, 5UL)
            let f = names.Count
            let col = names |> Seq.findIndex (fun n -> n = "canvassed (canvass)")
            let covered = [| for i in 0 .. e.VoterCount - 1 -> x.[i * f + col] = 1.0f |]
            let expected = [| for i in 0 .. e.VoterCount - 1 -> 0.2 * 2.0 * float e.HomeProbability.[i * 3 + 2] / 255.0 |] |> Array.average
            let observed = (covered |> Array.filter id |> Array.length |> float) / float e.VoterCount
            // Binomial standard error at 20k voters is about 0.003; allow 4 of them.
            Expect.floatClose { absolute = 0.012; relative = 0.0 } observed expected "coverage"
            let home = [| for i in 0 .. e.VoterCount - 1 -> float e.HomeProbability.[i * 3 + 2] |]
            let meanHome sel = Array.zip home covered |> Array.filter (fun (_, c) -> c = sel) |> Array.averageBy fst
            Expect.isGreaterThan (meanHome true) (meanHome false) "canvassed voters are more often at home"
        }
        test "silos keep consumer data out of the models; linkage error joins a share of purchased records to the wrong voter" {
            let e = classroom.Value
            let us = DataRegime.Preset "us-like"
            let struct (_, silo) = Scorer.Features(e, us, 0, ScoringOptions(Linkage = "silos"), 5UL)
            Expect.isFalse (silo |> Seq.exists (fun f -> f.Contains "ConsumerData")) "no consumer data in silos"
            let income (err: float) =
                let struct (x, names) = Scorer.Features(e, us, 0, ScoringOptions(LinkageError = err), 5UL)
                let f = names.Count
                let col = names |> Seq.findIndex (fun n -> n = "income_quintile (ConsumerData)")
                let v = [| for i in 0 .. e.VoterCount - 1 -> float x.[i * f + col] |]
                Metrics.Correlation(ReadOnlySpan v, ReadOnlySpan [| for i in 0 .. e.VoterCount - 1 -> float e.IncomeQuintile.[i] |])
            Expect.floatClose Accuracy.veryHigh (income 0.0) 1.0 "perfect linkage"
            // Correlation ≈ 1 − error for records swapped with random voters; tolerance 0.03 (about 4 standard errors at 20k voters).
            Expect.floatClose { absolute = 0.03; relative = 0.0 } (income 0.3) 0.7 "30% mislinked"
        }
        test "same seed, same scores; segments cover every voter" {
            let e = classroom.Value
            let a = Scorer.Score(e, DataRegime.Preset "uk-like", null, 11)
            let b = Scorer.Score(e, DataRegime.Preset "uk-like", null, 11)
            Expect.sequenceEqual b.SupportScore a.SupportScore "support"
            Expect.sequenceEqual b.UpliftScore a.UpliftScore "uplift"
            Expect.sequenceEqual b.Cluster a.Cluster "clusters"
            Expect.equal (a.SegmentSizes |> Seq.sumBy (fun s -> s.Voters)) e.VoterCount "segments partition the electorate"
        }
        test "the headline table: every regime preset with its precision lost against US-like (zero for US-like itself)" {
            let table = Scorer.CompareRegimes(Workbench.Electorate.Electorates.Generate("classroom", Nullable 10000, Nullable 2, Nullable 2), null, 3)
            Expect.equal (table |> Seq.map (fun r -> r.Regime) |> Set.ofSeq) (Set.ofSeq DataRegime.PresetNames) "all presets"
            let us = table |> Seq.find (fun r -> r.Regime = "us-like")
            Expect.equal us.AucLost 0.0 "reference"
            let de = table |> Seq.find (fun r -> r.Regime = "germany-like")
            Expect.floatClose Accuracy.veryHigh de.AucLost (us.SupportAuc - de.SupportAuc) "AUC lost is the difference"
        }
    ]

[<Tests>]
let contactsOnly =
    testList "Scoring.ContactsOnly" [
        test "EU-GDPR's members-and-contacts reading keeps only the party's identifiers in the poll, and the models lose precision" {
            let e = classroom.Force()
            let strict = Workbench.Data.DataRegime.Preset "eu-gdpr"
            Expect.isTrue strict.ContactsOnly "the eu-gdpr preset is the strict reading"
            let loose = Workbench.Data.DataRegime.FromJson """{"name":"gdpr-without-contacts-rule","allowedSources":["canvass","polls"],"bannedAttributes":["minority","health"],"minimumAudience":1000}"""
            let a = Scorer.Score(e, strict, ScoringOptions(), 1)
            let b = Scorer.Score(e, loose, ScoringOptions(), 1)
            let identifiers = e.PartyId |> Array.filter (fun p -> p = 0y) |> Array.length
            Expect.isLessThan a.Support.TrainingSize b.Support.TrainingSize "fewer poll answers may be kept"
            Expect.isLessThanOrEqual a.Support.TrainingSize identifiers "only identifiers"
            Expect.isLessThan a.Turnout.Auc b.Turnout.Auc $"turnout AUC {a.Turnout.Auc:F3} (contacts only) < {b.Turnout.Auc:F3}"
            Expect.isLessThan a.Support.Auc b.Support.Auc $"support AUC {a.Support.Auc:F3} (contacts only) < {b.Support.Auc:F3}"
            Expect.isTrue (Scorer.IsContact(e, (e.PartyId |> Array.findIndex (fun p -> p = 0y)), 0)) "an identifier is a contact"
        }
    ]
