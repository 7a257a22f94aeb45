module Workbench.Tests.Random.SeedLabelsTests

open System.Reflection
open Expecto
open Workbench.Random

/// The labels of one group of SeedLabels (one parent seed), by name.
let private labels (group: System.Type) =
    group.GetFields(BindingFlags.Public ||| BindingFlags.Static)
    |> Array.filter (fun f -> f.IsLiteral && f.FieldType = typeof<uint64>)
    |> Array.map (fun f -> f.Name, f.GetRawConstantValue() :?> uint64)

let private groups () = typeof<SeedLabels>.GetNestedTypes(BindingFlags.Public)

[<Tests>]
let tests =
    testList "Random.SeedLabels" [
        test "labels under the same parent seed are distinct" {
            let gs = groups ()
            Expect.equal (gs |> Array.map (fun g -> g.Name) |> Array.sort) [| "Campaign"; "FieldExperiment"; "Master"; "Replicate"; "ReplicateColumn" |] "the groups are read"
            Expect.isGreaterThanOrEqual (labels typeof<SeedLabels.Replicate>).Length 12 "the replicate's labels are read"
            for g in gs do
                let dup = labels g |> Array.groupBy snd |> Array.filter (fun (_, names) -> names.Length > 1)
                Expect.isEmpty dup $"two stages derive their seeds from the same parent with the same label in SeedLabels.{g.Name}"
        }
        test "the labels keep their historical values" {
            let all = groups () |> Array.collect (fun g -> labels g |> Array.map (fun (n, v) -> g.Name + "." + n, v)) |> Map.ofArray
            let expected =
                Map.ofList [
                    "Master.Replicate", 1UL
                    "Replicate.Election", 2UL; "Replicate.Knowledge", 3UL; "Replicate.Campaign", 4UL; "Replicate.Network", 5UL
                    "Replicate.Oversight", 6UL; "Replicate.ElectionDraw", 7UL; "Replicate.MessageSpace", 9UL; "Replicate.MessageChoice", 10UL
                    "Replicate.Psychographics", 11UL; "Replicate.ForecastSwing", 12UL; "Replicate.HouseEffect", 13UL; "Replicate.OpinionDrift", 14UL
                    "ReplicateColumn.ArchiveAd", 7UL
                    "Campaign.EarnedMedia", 12UL; "Campaign.VolunteerHomes", 13UL; "Campaign.VolunteerRoutes", 14UL; "Campaign.PageInsights", 15UL; "Campaign.OnlineGraph", 16UL
                    "FieldExperiment.ElectionDay", 100UL ]
            Expect.equal all expected "every label, at the value shipped results were derived with"
        }
        test "the archive's label shares its value with election draws but never their seed" {
            // The seed column equals the replicate seed when its top bit is clear: the archive's seeds (label, arm, channel) must
            // still differ from every election-day draw's seed (label, draw) and from the labels' other seeds.
            let rs = 0x1234_5678_9ABC_DEFUL
            let column = uint64 (Workbench.Experiments.RunSeeds.Column rs)
            Expect.equal column rs "the seed column is the replicate seed here"
            let draws = set [ for d in 1UL .. 200UL -> Seeds.Derive(rs, SeedLabels.Replicate.ElectionDraw, d) ]
            let others = set [ for g in [ typeof<SeedLabels.Replicate> ] do for _, l in labels g do yield Seeds.Derive(rs, l) ]
            for a in 0UL .. 7UL do
                for c in 0UL .. 31UL do
                    let s = Seeds.Derive(column, SeedLabels.ReplicateColumn.ArchiveAd, a, c)
                    Expect.isFalse (draws.Contains s || others.Contains s) $"archive seed of arm {a}, channel {c}"
        }
    ]
