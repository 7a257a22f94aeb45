module Workbench.Tests.Random.StreamIdsTests

open System.Reflection
open Expecto
open Workbench.Random

let private fixedIds () =
    typeof<StreamIds>.GetFields(BindingFlags.Public ||| BindingFlags.Static)
    |> Array.filter (fun f -> f.IsLiteral && f.FieldType = typeof<uint32>)
    |> Array.map (fun f -> f.Name, f.GetRawConstantValue() :?> uint32)

let private campaignIds maxSponsor maxChannel =
    [ for kind in [ StreamIds.CampaignStream.Contact; StreamIds.CampaignStream.Broadcast; StreamIds.CampaignStream.Fraction ] do
        for s in 0 .. maxSponsor - 1 do
            for c in 0 .. maxChannel - 1 do
                yield (kind, s, c), StreamIds.Campaign(kind, s, c) ]

[<Tests>]
let tests =
    testList "Random.StreamIds" [
        test "the registry's fixed ids are distinct" {
            let ids = fixedIds ()
            Expect.isGreaterThan ids.Length 30 "the registry is read"
            let dup = ids |> Array.groupBy snd |> Array.filter (fun (_, g) -> g.Length > 1)
            Expect.isEmpty dup "two names share a stream id"
        }
        test "campaign streams keep their historical ids below 16 channels and 15 sponsors" {
            Expect.equal (StreamIds.Campaign(StreamIds.CampaignStream.Contact, 2, 3)) (7000u + 2u * 32u + 3u) "contact"
            Expect.equal (StreamIds.Campaign(StreamIds.CampaignStream.Broadcast, 1, 15)) (7500u + 32u + 15u) "broadcast"
            Expect.equal (StreamIds.Campaign(StreamIds.CampaignStream.Fraction, 0, 4)) (7516u + 4u) "fraction"
        }
        test "campaign streams never collide with each other or with a fixed id, past 16 channels too" {
            // The old formula 7500 + 32k + c collided with the fractional stream 7516 + 32k + c' for c = c' + 16.
            let ids = campaignIds 20 40
            let dup = ids |> List.groupBy snd |> List.filter (fun (_, g) -> g.Length > 1) |> List.truncate 3
            Expect.isEmpty dup "two (kind, sponsor, channel) share an id"
            let fixedSet = fixedIds () |> Array.map snd |> Set.ofArray
            let clash = ids |> List.filter (fun (_, id) -> fixedSet.Contains id && id <> StreamIds.CampaignContactBase && id <> StreamIds.CampaignBroadcastBase)
            Expect.isEmpty clash "a campaign stream equals a fixed id"
        }
        test "ids kept outside the registry until now keep their values: household opinion, regulation detection, sensitivity" {
            Expect.equal StreamIds.HouseholdOpinion (StreamIds.Household + 100u) "household id + 100"
            Expect.equal StreamIds.HouseholdOpinion 104u "104"
            Expect.equal StreamIds.RegulationDetection 0u "detection draws stream 0 of their own seed"
            Expect.equal StreamIds.SensitivityMorris 0x5E450001u "Morris"
            Expect.equal StreamIds.SensitivityBootstrap 0x5E450002u "bootstrap"
        }
        test "archive ad streams are the party index: distinct for every party, range-checked beyond the electorate's 64" {
            let ids = [ for p in 0 .. StreamIds.MaxArchiveParties - 1 -> StreamIds.ArchiveAd p ]
            Expect.equal ids [ for p in 0u .. uint32 StreamIds.MaxArchiveParties - 1u -> p ] "historical: id = party index"
            Expect.equal (List.distinct ids).Length ids.Length "no two parties share an archive stream"
            Expect.throwsT<System.ArgumentOutOfRangeException> (fun () -> StreamIds.ArchiveAd -1 |> ignore) "negative party"
            Expect.throwsT<System.ArgumentOutOfRangeException> (fun () -> StreamIds.ArchiveAd StreamIds.MaxArchiveParties |> ignore) "party 64"
            // Campaign streams under 4,096 sponsors stay clear of the archive's range (they share no seed, but keep the ranges apart anyway).
            let campaign = campaignIds 20 40 |> List.map snd |> Set.ofList
            Expect.isEmpty (Set.intersect campaign (Set.ofList ids)) "archive ids are not campaign ids"
        }
        test "campaign stream arguments are range-checked" {
            Expect.throwsT<System.ArgumentOutOfRangeException> (fun () -> StreamIds.Campaign(StreamIds.CampaignStream.Contact, 4096, 0) |> ignore) "sponsor"
            Expect.throwsT<System.ArgumentOutOfRangeException> (fun () -> StreamIds.Campaign(StreamIds.CampaignStream.Contact, 0, -1) |> ignore) "channel"
        }
    ]
