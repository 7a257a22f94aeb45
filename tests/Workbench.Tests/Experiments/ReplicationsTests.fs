/// Chapter 11's replications: every published finding, rerun from the library, checked against its stated tolerance.
/// Calibration targets and out-of-sample checks are asserted separately; findings the model does not reproduce are
/// asserted as not reproduced (so a change that silently "fixes" them by tuning fails here too).
module Workbench.Tests.Experiments.ReplicationsTests

open System
open Expecto
open Workbench.Experiments
open Workbench.Networks

let private show (r: Replication) =
    printfn "replication [%A]: %s — target %s, simulated %.4f (%s), reproduced %b" r.Kind r.Finding r.Target r.Simulated r.Units r.Reproduced

let private check (rs: Replication seq) =
    let rs = List.ofSeq rs
    Expect.isNonEmpty rs "replications ran"
    for r in rs do
        show r
        Expect.isFalse (Double.IsNaN r.Simulated) (r.Finding + ": a figure")
        Expect.isTrue (r.Tolerance > 0.0) (r.Finding + ": a stated, positive tolerance")
        Expect.isTrue r.Reproduced (sprintf "%s (%s): target %s, simulated %g" r.Finding r.Source r.Target r.Simulated)

// Run once, shared by the tests below (they are the slow part).
let private field = lazy (Replications.FieldExperimentsReplicated(300_000, 11, Nullable 2) |> List.ofSeq)
let private geography = lazy (Replications.CampaignGeography(100_000, 3, Nullable 2) |> List.ofSeq)
let private bias = lazy (Replications.AlgorithmicBias() |> List.ofSeq)
let private cube = lazy (Replications.CubeLaw(24, 100_000, Nullable 2))
let private deffuant = lazy (Replications.Deffuant() |> List.ofSeq)
let private contagion = lazy (Replications.SocialContagion(100_000, 8, Nullable 2))
let private outOfSample () = [ cube.Value ] @ geography.Value @ List.ofSeq contagion.Value @ deffuant.Value @ bias.Value

/// The values the out-of-sample checks' parameters had when the checks were set (Replications.DependencyValues). Change a line
/// only with the reason in the same commit (CHANGELOG): a value moved until a check passed would make that check a calibration.
let private pinnedDependencies : string list = [
    "CascadeOptions.acceptance = 0.3 (default)"
    "CascadeOptions.distanceDecay = 6 (default)"
    "CascadeOptions.maxSteps = 100 (default)"
    "CascadeOptions.ranking = 0 (default)"
    "ChannelSpec.cost = 0 (default)"
    "ChannelSpec.decay = 0.5 (default)"
    "ChannelSpec.maxFrequency = 1 (default)"
    "ElectorateGraphOptions.ageHomophily = 0 (default)"
    "ElectorateGraphOptions.issueHomophily = 0 (default)"
    "ElectorateGraphOptions.onlineDegree = 10 (default)"
    "ElectorateGraphOptions.partyHomophily = 0.7 (default)"
    "ElectorateSpec.constituencyVariation = 0.6 (classroom)"
    "ElectorateSpec.constituencyVariation = 0.6 (default)"
    "ElectorateSpec.constituencyVariation = 0.6 (germany-like)"
    "ElectorateSpec.constituencyVariation = 0.6 (nordic-like)"
    "ElectorateSpec.constituencyVariation = 0.6 (westminster-like)"
    "ElectorateSpec.neighbourhoodOpinionSd = 0.2 (classroom)"
    "ElectorateSpec.neighbourhoodOpinionSd = 0.2 (default)"
    "ElectorateSpec.neighbourhoodOpinionSd = 0.2 (germany-like)"
    "ElectorateSpec.neighbourhoodOpinionSd = 0.2 (nordic-like)"
    "ElectorateSpec.neighbourhoodOpinionSd = 0.2 (westminster-like)"
    "ElectorateSpec.partyIdWeight = 1.5 (classroom)"
    "ElectorateSpec.partyIdWeight = 1.5 (default)"
    "ElectorateSpec.partyIdWeight = 1.5 (germany-like)"
    "ElectorateSpec.partyIdWeight = 1.5 (nordic-like)"
    "ElectorateSpec.partyIdWeight = 1.5 (westminster-like)"
    "ElectorateSpec.partyOffsetSd = 0.45 (classroom)"
    "ElectorateSpec.partyOffsetSd = 0.45 (default)"
    "ElectorateSpec.partyOffsetSd = 0.45 (germany-like)"
    "ElectorateSpec.partyOffsetSd = 0.45 (nordic-like)"
    "ElectorateSpec.partyOffsetSd = 0.55 (westminster-like)"
    "ElectorateSpec.policyWeight = 1 (classroom)"
    "ElectorateSpec.policyWeight = 1 (default)"
    "ElectorateSpec.policyWeight = 1 (germany-like)"
    "ElectorateSpec.policyWeight = 1 (nordic-like)"
    "ElectorateSpec.policyWeight = 1 (westminster-like)"
    "EvidenceSet.adMobilisationPerPerson = 0.002 (default)"
    "EvidenceSet.canvassContactsPerVote = 20 (default)"
    "EvidenceSet.mailPiecesPerVote = 300 (default)"
    "EvidenceSet.phoneContactsPerVote = 50 (default)"
    "OpinionParameters.biasFloor = 0.0001 (default)"
    "OpinionParameters.steadySteps = 0 (default)"
    "OpinionParameters.steps = 100 (default)"
    "OpinionParameters.tolerance = 1E-05 (default)"
    "TurnoutModelSpec.closeness = 0.4 (default)"
    "TurnoutModelSpec.pastTurnout = 1.2 (default)"
    "VoterModelSpec.mediaIntercept = [0.6, -0.2, 0.9, -1, -1.6, 0.4, -1] (default)"
]

[<Tests>]
let tests =
    testList "Experiments.Replications" [
        test "calibration targets: canvassing, phones, mail, robocalls, email, social pressure, spillover, online mobilisation, persuasion" {
            let rs = field.Value
            Expect.equal rs.Length 9 "nine findings"
            for r in rs do Expect.equal r.Kind ReplicationKind.Calibration (r.Finding + " is a calibration target: the preset takes its effect from the paper")
            check rs
        }
        test "each evidence preset's calibration reproduces its own stated figures (pessimistic and optimistic; central above)" {
            // The same field experiments with the channels of the other two presets: each experiment must recover the figure that
            // preset takes from the literature (canvassing 1 per 30 or 14, phones 1 per 50 or 35, mail 1 per 300 or 177,
            // persuasion 0 or 0.007 on the day seen), within the same tolerances.
            for preset in [ "pessimistic"; "optimistic" ] do
                let rs = Replications.FieldExperimentsReplicated(300_000, 11, Nullable 2, null, preset) |> List.ofSeq
                Expect.equal rs.Length 9 (preset + ": nine findings")
                let ev = Workbench.Behaviour.EvidenceSet.Preset preset
                let target (name: string) = (rs |> List.find (fun r -> r.Finding.StartsWith name)).Published
                Expect.equal (target "Door-to-door canvassing") ev.CanvassContactsPerVote (preset + ": canvassing target is the preset's")
                Expect.equal (target "Volunteer phone banks") ev.PhoneContactsPerVote (preset + ": phone target is the preset's")
                Expect.equal (target "Direct mail") ev.MailPiecesPerVote (preset + ": mail target is the preset's")
                Expect.equal (target "Persuasion per exposure") ev.AdPersuasion (preset + ": persuasion target is the preset's")
                check rs
        }
        test "the parameters the out-of-sample checks depend on keep the values they had when the checks were set (a retune must update this pin with its reason)" {
            let lines = Replications.DependencyValues(outOfSample ()) |> List.ofSeq
            for l in lines do printfn "pin: %s" l
            Expect.isFalse (lines |> List.exists (fun l -> l.Contains "not a documented parameter")) "every dependency resolves"
            Expect.sequenceEqual lines pinnedDependencies "out-of-sample dependencies unchanged"
        }
        test "online mobilisation (Bond et al. 2012) is estimated precisely enough that its tolerance could fail" {
            let r = field.Value |> List.find (fun r -> r.Finding.StartsWith "Online social mobilisation")
            show r
            // Before the experiment was run among reached users, the 3-standard-error tolerance (0.012) was three times the effect
            // itself, so a simulated 0.0085 (2.2 times the published 0.0039) passed. Now the tolerance is well below the effect.
            Expect.isLessThan r.Tolerance (0.5 * r.Published) "tolerance below half the published effect"
            Expect.isFalse (Replication(r.Finding, r.Source, r.Published, 2.2 * r.Published, r.Tolerance, r.Units, r.Detail, r.Kind)).Reproduced
                "2.2 times the published figure is not reproduced at this tolerance"
            Expect.isTrue r.Reproduced "the direct effect is recovered"
        }
        test "the cube law on simulated FPTP elections (Kendall & Stuart 1950), out of sample" {
            Expect.equal cube.Value.Kind ReplicationKind.OutOfSample "no parameter is fitted to the exponent"
            check [ cube.Value ]
        }
        test "campaign geography: contact in marginal seats, closeness and campaign turnout, evenness under PR (out of sample)" {
            let rs = geography.Value
            Expect.equal rs.Length 3 "three checks"
            for r in rs do Expect.notEqual r.Test ReplicationTest.Within (r.Finding + ": a qualitative finding, stated as a threshold")
            check rs
        }
        test "social contagion (Bond et al. 2012), estimated as they did with 98% shown the message: NOT reproduced — shares reach almost everyone anyway, so friends add almost nothing" {
            let rs = List.ofSeq contagion.Value
            Expect.equal rs.Length 2 "the direction and the size"
            let direction, size = rs.[0], rs.[1]
            for r in rs do
                show r
                Expect.equal r.Kind ReplicationKind.OutOfSample (r.Finding + ": nothing is fitted to the effect through friends")
                Expect.isEmpty (Replications.FittingProblems r) (r.Finding + ": no parameter cites Bond et al. or was fitted to the ratio")
                Expect.isFalse (Double.IsNaN r.Simulated) "a figure"
                Expect.isTrue (r.Tolerance > 0.0) "a stated, positive tolerance"
                Expect.equal r.Simulated direction.Simulated "one simulated ratio, two tests"
            printfn "detail: %s" size.Detail
            Expect.equal direction.Finding "Online social mobilisation: the effect through friends exceeds the direct effect" "the finding"
            Expect.equal direction.Test ReplicationTest.Above "qualitative: the ratio exceeds 1"
            Expect.equal direction.Published 1.0 "threshold 1: more votes through friends than directly"
            Expect.equal size.Test ReplicationTest.Within "quantitative: Bond et al.'s ratio"
            Expect.floatClose Accuracy.veryHigh size.Published (280000.0 / 60000.0) "280,000 ÷ 60,000"
            // With 98% of users shown the message directly and its shares reaching almost every control, a treated user's own
            // shares rarely reach a friend who was not reached anyway: the effect through friends is far below the direct effect.
            Expect.isLessThan (direction.Simulated + direction.Tolerance) 1.0 "below the direct effect by more than 3 standard errors"
            Expect.isFalse direction.Reproduced "honestly reported as not reproduced"
            Expect.isFalse size.Reproduced "honestly reported as not reproduced"
            Expect.stringContains size.Detail "times smaller" "the detail says on which side it falls"
        }
        test "social contagion refuses an assignment with no controls or no treated users" {
            for share in [ 0.0; 1.0; -0.5 ] do
                Expect.throwsT<ArgumentOutOfRangeException> (fun () -> Replications.SocialContagionRuns(2_000, 1, Nullable 1, null, null, share) |> ignore) (sprintf "share %g is refused" share)
        }
        test "social contagion: no sharing, no effect through friends (cascade acceptance 0); a direct effect either way; Bond et al.'s 98% assignment" {
            let none = Replications.SocialContagionRuns(20_000, 2, Nullable 2, CascadeOptions(Acceptance = 0.0))
            for run in none do
                Expect.isGreaterThan run.DirectEffect 0.0 "the treated still vote more"
                Expect.equal run.IndirectEffect 0.0 "no one shares, so no friend is moved"
                Expect.equal run.Reached 0 "no control is exposed"
                Expect.isGreaterThan (float run.Treated) (0.96 * float run.Users) "about 98% of users assigned the message"
                Expect.equal (run.Treated + run.Controls) run.Users "every user is treated or a control"
            Expect.equal (Replications.SocialContagion(20_000, 2, Nullable 2, CascadeOptions(Acceptance = 0.0), null)).[0].Simulated 0.0 "ratio 0 without sharing"
            // With sharing, shares reach controls, and the direct effect is smaller than the per-contact gain because a reached
            // control is mobilised too (Bond et al.'s estimate is treated minus control in the same way).
            let shared = Replications.SocialContagionRuns(20_000, 2, Nullable 2)
            for run in shared do
                Expect.isGreaterThan run.Reached 0 "shares reach controls"
                Expect.isLessThan run.DirectEffect (none |> List.ofSeq |> List.find (fun r -> r.Seed = run.Seed)).DirectEffect "reached controls narrow the direct effect"
        }
        test "social contagion is deterministic: the same call twice and 1 or 2 threads give the same figure" {
            let a = (Replications.SocialContagion(20_000, 2, Nullable 1)).[1]
            let b = (Replications.SocialContagion(20_000, 2, Nullable 1)).[1]
            let c = (Replications.SocialContagion(20_000, 2, Nullable 2)).[1]
            Expect.equal a.Simulated b.Simulated "same call, same figure"
            Expect.equal a.Simulated c.Simulated "1 or 2 threads, same figure"
            Expect.equal a.Detail c.Detail "and the same detail"
        }
        test "Deffuant clusters ≈ ⌊1/(2ε)⌋ (Deffuant et al. 2000)" { check deffuant.Value }
        test "algorithmic bias over 50 seeds: one cluster for ε > 0.4 at γ = 1; more clusters, variance and steps at ε = 0.32 (Sîrbu et al. 2019)" {
            let rs = bias.Value
            Expect.equal rs.Length 5 "five checks"
            check (rs |> List.filter (fun r -> not (r.Finding.Contains "γ = 1.6")))
        }
        test "algorithmic bias at γ = 1.6 and ε = 0.5 is NOT reproduced under NDlib's rules: many clusters where the paper reports one" {
            let r = bias.Value |> List.find (fun r -> r.Finding.Contains "γ = 1.6")
            show r
            Expect.equal r.Published 1.0 "the paper: one cluster for ε > 0.4"
            Expect.isGreaterThan r.Simulated 5.0 "NDlib's floor 10⁻⁵ locks agents into small groups"
            Expect.isFalse r.Reproduced "honestly reported as not reproduced"
            Expect.stringContains r.Detail "NDlib" "the detail names the rules it ran"
        }
        test "the chapter-11 runs follow NDlib: 1,000 quiet steps at 10⁻⁵, floor 10⁻⁵, at most 100,000 steps; the earlier rule is kept apart" {
            let p = Replications.AlgorithmicBiasRun(0.5, 1.6)
            Expect.equal (p.Steps, p.Tolerance, p.SteadySteps, p.BiasFloor, p.Mu) (100000, 1e-5, 1000, 1e-5, 0.5) "NDlib's steady_state and pb1"
            let old = Replications.AlgorithmicBiasFirstQuietStepRun(0.5, 1.6)
            Expect.equal (old.Steps, old.Tolerance, old.SteadySteps, old.BiasFloor) (3000, 0.0, 0, 1e-4) "the earlier rule: library defaults, tolerance 0"
            // Under the earlier rule the γ = 1.6 runs stop within a few hundred steps with about twenty clusters, as the detail says.
            let struct (c, _, st) = Replications.AlgorithmicBiasRuns(old, 10)
            Expect.isGreaterThan (Array.average c) 10.0 "the earlier rule stops with many clusters"
            Expect.isLessThan (Array.average st) 1000.0 "within a few hundred steps"
        }
        test "every out-of-sample check names its parameters, and none was fitted to its finding" {
            let rs = outOfSample ()
            Expect.isGreaterThanOrEqual (rs |> List.length) 5 "at least five out-of-sample checks"
            for r in rs do
                Expect.isNonEmpty r.DependsOn (r.Finding + ": names its parameters")
                Expect.isEmpty (Replications.FittingProblems r) (r.Finding + ": no parameter cites its source or defaults to its target")
        }
        test "the fitting check fails when a parameter's default is the target or its citation is the source" {
            let mk source published deps =
                Replication("x", source, published, published, 1.0, "u", "", ReplicationKind.OutOfSample, DependsOn = deps)
            // The central preset's canvassing default is 20, and its citation is Green & Gerber: both flagged.
            let problems = Replications.FittingProblems(mk "Green & Gerber (2019)" 20.0 [| "EvidenceSet.canvassContactsPerVote" |])
            Expect.equal problems.Count 2 "citation and default both flagged"
            // A default set to the target (partyOffsetSd's default 0.45), with no citation at all.
            Expect.equal (Replications.FittingProblems(mk "Nobody (2020)" 0.45 [| "ElectorateSpec.partyOffsetSd" |])).Count 1 "default equal to the target is flagged"
            Expect.isEmpty (Replications.FittingProblems(mk "Nobody (2020)" 0.46 [| "ElectorateSpec.partyOffsetSd" |])) "a different target is fine"
            Expect.equal (Replications.FittingProblems(mk "Nobody (2020)" 1.0 [| "ElectorateSpec.noSuchThing" |])).Count 1 "unknown parameter names are refused"
            Expect.equal (Replications.FittingProblems(mk "Nobody (2020)" 1.0 [||])).Count 1 "an out-of-sample check must name its parameters"
            Expect.isEmpty (Replications.FittingProblems(Replication("x", "Green & Gerber", 20.0, 20.0, 1.0, "u", "", ReplicationKind.Calibration))) "calibration targets are exempt"
        }
        test "a replication outside its tolerance or short of its threshold is reported as not reproduced" {
            let r = Replication("x", "y", 14.0, 16.0, 1.4, "contacts per extra vote", "", ReplicationKind.Calibration)
            Expect.isFalse r.Reproduced "16 is more than 1.4 from 14"
            Expect.isTrue (Replication("x", "y", 14.0, 15.0, 1.4, "contacts per extra vote", "", ReplicationKind.Calibration)).Reproduced "15 is within 1.4"
            Expect.isTrue (Replication("x", "y", 1.0, 1.5, 0.3, "ratio", "", ReplicationKind.OutOfSample, ReplicationTest.Above)).Reproduced "1.5 − 0.3 > 1"
            Expect.isFalse (Replication("x", "y", 1.0, 1.2, 0.3, "ratio", "", ReplicationKind.OutOfSample, ReplicationTest.Above)).Reproduced "1.2 − 0.3 is not > 1"
            Expect.isTrue (Replication("x", "y", 0.0, -0.3, 0.1, "r", "", ReplicationKind.OutOfSample, ReplicationTest.Below)).Reproduced "−0.3 + 0.1 < 0"
            Expect.isFalse (Replication("x", "y", 0.0, -0.05, 0.1, "r", "", ReplicationKind.OutOfSample, ReplicationTest.Below)).Reproduced "−0.05 + 0.1 is not < 0"
            Expect.isFalse (Replication("x", "y", 0.0, nan, 0.1, "r", "", ReplicationKind.OutOfSample)).Reproduced "no figure, not reproduced"
            Expect.equal (Replication("x", "y", 1.0, 1.5, 0.3, "ratio", "", ReplicationKind.OutOfSample, ReplicationTest.Above)).Target "> 1 (by > 0.3)" "threshold shown"
        }
        test "effective clusters: 1 for consensus, 2 for two equal groups" {
            Expect.floatClose Accuracy.high (Replications.EffectiveClusters [| 0.5; 0.5; 0.5; 0.5 |]) 1.0 "one cluster"
            Expect.floatClose Accuracy.high (Replications.EffectiveClusters [| 0.2; 0.2; 0.8; 0.8 |]) 2.0 "two equal clusters"
        }
    ]
