/// Time-of-day indexes for scheduling canvassing and calls (MODEL.md §4).
module Workbench.Tests.Scoring.TimeOfDayTests

open System
open Expecto
open Workbench.Scoring

let private e = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 40000, Nullable 8, Nullable 2))

[<Tests>]
let tests =
    testList "Scoring.TimeOfDay" [
        test "indexes estimate each age band's true home rate per slot, within sampling error" {
            let el = e.Force()
            let r = TimeOfDay.Fit(el, Workbench.Data.DataRegime.Preset "uk-like", 20000, 3)
            for band in 0 .. Workbench.Electorate.ElectorateSpec.AgeBandCount - 1 do
                let members = [| for i in 0 .. el.VoterCount - 1 do if Workbench.Electorate.ElectorateSpec.AgeBandOf(float el.Age.[i]) = band then yield i |]
                for s in 0 .. 2 do
                    let truth = members |> Array.averageBy (fun i -> float el.HomeProbability.[i * 3 + s] / 255.0)
                    // About 20,000 / 6 attempts per band and slot: SE ≈ 0.012; allow 4 SE.
                    Expect.isLessThan (abs (r.HomeIndex.[band].[s] - truth)) 0.05 $"band {band} slot {s}: index {r.HomeIndex.[band].[s]:F3} vs true {truth:F3}"
        }
        test "with equal capacity per slot, scheduling by the index contacts more voters than a random time, and no more than the oracle" {
            let r = TimeOfDay.Fit(e.Force(), Workbench.Data.DataRegime.Preset "us-like", 5000, 4)
            let rate name = (r.Plans |> Seq.find (fun p -> p.Plan = name))
            let sched, random, oracle = rate "scheduled by index", rate "random time", rate "oracle"
            Expect.isGreaterThan sched.CanvassContact (random.CanvassContact + 0.01) "beats a random time by at least a point"
            Expect.isLessThanOrEqual sched.CanvassContact oracle.CanvassContact "no better than the oracle"
            Expect.isGreaterThan sched.PhoneAnswer random.PhoneAnswer "calls: beats a random time"
            Expect.isGreaterThan r.HomeCorrelation 0.2 $"indexes track the truth (r = {r.HomeCorrelation:F3})"
        }
        test "a regime that bans age leaves one segment, and the result is deterministic" {
            let el = e.Force()
            let noAge = Workbench.Data.DataRegime.FromJson """{"name":"no-age","bannedAttributes":["age"]}"""
            let r = TimeOfDay.Fit(el, noAge, 3000, 5)
            let used = r.HomeIndex |> Seq.mapi (fun g row -> g, List.ofSeq row) |> Seq.filter (fun (g, _) -> g < r.Segments.Count - 1) |> Array.ofSeq
            // Every voter is in "age unknown": the age-band rows hold only the prior (no attempts), equal across bands.
            Expect.isTrue (used |> Array.forall (fun (_, row) -> row = (snd used.[0]))) "age bands carry no information"
            let again = TimeOfDay.Fit(el, noAge, 3000, 5)
            Expect.equal again.Plans r.Plans "deterministic"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> TimeOfDay.Fit(el, noAge, 5, 5) |> ignore) "too few attempts"
        }
    ]
