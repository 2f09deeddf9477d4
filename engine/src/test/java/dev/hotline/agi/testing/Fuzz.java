package dev.hotline.agi.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Input generators for fuzz tests: random bytes biased towards the protocol's special characters, and real
 * transcripts mutated (bytes flipped, inserted, deleted, line breaks added, runs duplicated). Seeded, so a
 * failure names the seed that reproduces it.
 */
public final class Fuzz {

    private static final byte[] INTERESTING = {'\n', '\r', ':', ' ', '2', '0', '5', '-', '(', ')', 'H', 0, '=', '_'};

    private Fuzz() {
    }

    public static byte[] randomBytes(Random r, int maxLength) {
        byte[] out = new byte[r.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextInt(5) < 2 ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
        }
        return out;
    }

    public static byte[] mutate(Random r, byte[] in) {
        List<Byte> b = new ArrayList<>(in.length + 64);
        for (byte x : in) {
            b.add(x);
        }
        int mutations = r.nextInt(12);
        for (int m = 0; m < mutations && !b.isEmpty(); m++) {
            int pos = r.nextInt(b.size());
            switch (r.nextInt(5)) {
                case 0 -> b.set(pos, (byte) r.nextInt(256));
                case 1 -> b.add(pos, INTERESTING[r.nextInt(INTERESTING.length)]);
                case 2 -> b.remove(pos);
                case 3 -> b.add(pos, (byte) '\n');
                default -> {
                    int len = Math.min(b.size() - pos, 1 + r.nextInt(200));
                    b.addAll(pos, new ArrayList<>(b.subList(pos, pos + len)));
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    /** Sorted cut points inside {@code [0, length]} splitting the input into writes. */
    public static int[] cuts(Random r, int length) {
        return r.ints(r.nextInt(10), 0, length + 1).sorted().toArray();
    }
}
