using Node.Federation.Sync.Reconciliation;

namespace Node.Benchmarks;

/// <summary>
/// The reference to measure against: Negentropy protocol v1 as its C++ reference implementation does it
/// (github.com/hoytech/negentropy, cpp/negentropy.h: 16 buckets, id lists under 32 keys, whole 32-byte ids,
/// 16-byte fingerprints, bounds as timestamp deltas plus id prefixes, the frame limit less 200 bytes), ported line by
/// line onto <see cref="SyncKeySet"/> (whose fingerprint is Negentropy v1's) so both run on the same data.
/// </summary>
internal static partial class ReconcileBench
{
    private sealed class Negentropy(SyncKeySet set, int frameSizeLimit, bool isInitiator)
    {
        private const byte ProtocolVersion = 0x61;
        private const int Buckets = 16;
        private const int FrameSlack = 200;
        private const int FingerprintSize = 16;
        private const int IdSize = 32;
        private const ulong Infinity = ulong.MaxValue;

        private ulong _lastTimestampIn, _lastTimestampOut;

        private enum Mode
        {
            Skip = 0,
            Fingerprint = 1,
            IdList = 2,
        }

        private readonly record struct NBound(ulong Timestamp, byte[] Id)
        {
            public SyncKey Key => new(Timestamp, [.. Id, .. new byte[IdSize - Id.Length]]);
        }

        public byte[] Initiate()
        {
            var output = new List<byte> { ProtocolVersion };
            output.AddRange(SplitRange(0, set.Count, new NBound(Infinity, [])));
            return [.. output];
        }

        /// <summary>The next message, or null when the initiator is done (its output would be the version byte alone).</summary>
        public byte[]? Reconcile(byte[] query, List<byte[]> haveIds, List<byte[]> needIds)
        {
            _lastTimestampIn = _lastTimestampOut = 0;
            var full = new List<byte> { ProtocolVersion };
            var at = 0;
            if (query[at++] != ProtocolVersion)
            {
                throw new InvalidDataException("unsupported protocol version");
            }

            var prevBound = new NBound(0, []);
            var prevIndex = 0;
            var skip = false;
            while (at < query.Length)
            {
                var o = new List<byte>();
                void DoSkip()
                {
                    if (skip)
                    {
                        skip = false;
                        o.AddRange(EncodeBound(prevBound));
                        o.AddRange(EncodeVarInt((ulong)Mode.Skip));
                    }
                }

                var currBound = DecodeBound(query, ref at);
                var mode = (Mode)DecodeVarInt(query, ref at);
                var lower = prevIndex;
                var upper = LowerBound(prevIndex, currBound);
                if (mode == Mode.Skip)
                {
                    skip = true;
                }
                else if (mode == Mode.Fingerprint)
                {
                    var theirs = query.AsSpan(at, FingerprintSize);
                    at += FingerprintSize;
                    if (!theirs.SequenceEqual(set.Fingerprint(lower, upper).ToArray()))
                    {
                        DoSkip();
                        o.AddRange(SplitRange(lower, upper, currBound));
                    }
                    else
                    {
                        skip = true;
                    }
                }
                else
                {
                    var numIds = (int)DecodeVarInt(query, ref at);
                    var theirElems = new HashSet<string>();
                    for (var i = 0; i < numIds; i++)
                    {
                        theirElems.Add(Convert.ToHexString(query, at, IdSize));
                        at += IdSize;
                    }

                    if (isInitiator)
                    {
                        skip = true;
                        for (var i = lower; i < upper; i++)
                        {
                            var id = set.Keys[i].IdToArray();
                            if (!theirElems.Remove(Convert.ToHexString(id)))
                            {
                                haveIds.Add(id);
                            }
                        }

                        needIds.AddRange(theirElems.Select(Convert.FromHexString));
                    }
                    else
                    {
                        DoSkip();
                        var responseIds = new List<byte>();
                        var numResponseIds = 0UL;
                        var endBound = currBound;
                        for (var i = lower; i < upper; i++)
                        {
                            if (Exceeded(full.Count + responseIds.Count))
                            {
                                endBound = new NBound(set.Keys[i].Hlc, set.Keys[i].IdToArray());
                                upper = i;
                                break;
                            }

                            responseIds.AddRange(set.Keys[i].IdToArray());
                            numResponseIds++;
                        }

                        o.AddRange(EncodeBound(endBound));
                        o.AddRange(EncodeVarInt((ulong)Mode.IdList));
                        o.AddRange(EncodeVarInt(numResponseIds));
                        o.AddRange(responseIds);
                        full.AddRange(o);
                        o.Clear();
                    }
                }

                if (Exceeded(full.Count + o.Count))
                {
                    full.AddRange(EncodeBound(new NBound(Infinity, [])));
                    full.AddRange(EncodeVarInt((ulong)Mode.Fingerprint));
                    full.AddRange(set.Fingerprint(upper, set.Count).ToArray());
                    break;
                }

                full.AddRange(o);
                prevIndex = upper;
                prevBound = currBound;
            }

            return isInitiator && full.Count == 1 ? null : [.. full];
        }

        private List<byte> SplitRange(int lower, int upper, NBound upperBound)
        {
            var o = new List<byte>();
            var numElems = upper - lower;
            if (numElems < Buckets * 2)
            {
                o.AddRange(EncodeBound(upperBound));
                o.AddRange(EncodeVarInt((ulong)Mode.IdList));
                o.AddRange(EncodeVarInt((ulong)numElems));
                for (var i = lower; i < upper; i++)
                {
                    o.AddRange(set.Keys[i].IdToArray());
                }

                return o;
            }

            int itemsPerBucket = numElems / Buckets, bucketsWithExtra = numElems % Buckets;
            var curr = lower;
            for (var i = 0; i < Buckets; i++)
            {
                var bucketSize = itemsPerBucket + (i < bucketsWithExtra ? 1 : 0);
                var fingerprint = set.Fingerprint(curr, curr + bucketSize);
                curr += bucketSize;
                var nextBound = curr == upper ? upperBound : MinimalBound(set.Keys[curr - 1], set.Keys[curr]);
                o.AddRange(EncodeBound(nextBound));
                o.AddRange(EncodeVarInt((ulong)Mode.Fingerprint));
                o.AddRange(fingerprint.ToArray());
            }

            return o;
        }

        private bool Exceeded(int n) => frameSizeLimit != 0 && n > frameSizeLimit - FrameSlack;

        private int LowerBound(int from, NBound bound) => bound.Timestamp == Infinity ? set.Count : Math.Max(from, set.LowerBound(bound.Key));

        private static NBound MinimalBound(SyncKey prev, SyncKey curr)
        {
            if (curr.Hlc != prev.Hlc)
            {
                return new NBound(curr.Hlc, []);
            }

            var a = prev.IdToArray();
            var b = curr.IdToArray();
            var shared = 0;
            while (shared < IdSize && a[shared] == b[shared])
            {
                shared++;
            }

            return new NBound(curr.Hlc, b[..(shared + 1)]);
        }

        private NBound DecodeBound(byte[] encoded, ref int at)
        {
            var timestamp = DecodeVarInt(encoded, ref at);
            timestamp = timestamp == 0 ? Infinity : timestamp - 1;
            timestamp = timestamp == Infinity || timestamp + _lastTimestampIn < _lastTimestampIn ? Infinity : timestamp + _lastTimestampIn;
            _lastTimestampIn = timestamp;
            var length = (int)DecodeVarInt(encoded, ref at);
            var id = encoded[at..(at + length)];
            at += length;
            return new NBound(timestamp, id);
        }

        private List<byte> EncodeBound(NBound bound)
        {
            var output = new List<byte>();
            if (bound.Timestamp == Infinity)
            {
                _lastTimestampOut = Infinity;
                output.AddRange(EncodeVarInt(0));
            }
            else
            {
                var delta = bound.Timestamp - _lastTimestampOut;
                _lastTimestampOut = bound.Timestamp;
                output.AddRange(EncodeVarInt(delta + 1));
            }

            output.AddRange(EncodeVarInt((ulong)bound.Id.Length));
            output.AddRange(bound.Id);
            return output;
        }

        private static ulong DecodeVarInt(byte[] encoded, ref int at)
        {
            var result = 0UL;
            while (true)
            {
                var b = encoded[at++];
                result = (result << 7) | (uint)(b & 0x7F);
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }
        }

        private static List<byte> EncodeVarInt(ulong n)
        {
            var digits = new List<byte>();
            do
            {
                digits.Add((byte)(n & 0x7F));
                n >>= 7;
            }
            while (n != 0);

            digits.Reverse();
            for (var i = 0; i < digits.Count - 1; i++)
            {
                digits[i] |= 0x80;
            }

            return digits;
        }
    }
}
