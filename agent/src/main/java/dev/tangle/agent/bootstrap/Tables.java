package dev.tangle.agent.bootstrap;

import dev.tangle.trace.TraceWriter;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The recording's constant pools: strings, frames, stacks and objects, each interned once and written to the
 * trace before the first event that refers to it. Lookups that miss take one lock; the hot path never gets here
 * (threads cache what they need).

 */
public final class Tables {
    private static final Object LOCK = new Object();

    // strings
    private static final HashMap<String, Integer> stringIds = new HashMap<String, Integer>();
    private static String[] pendingStrings = new String[64];
    private static int pendingStringCount;
    private static int nextStringId = 1;

    // frames: id -> (class, method, file, line); defined[] tells which reserved ids are complete
    private static final HashMap<FrameKey, Integer> frameIds = new HashMap<FrameKey, Integer>();
    private static int[] frameClass = new int[256];
    private static int[] frameMethod = new int[256];
    private static int[] frameFile = new int[256];
    private static int[] frameLine = new int[256];
    private static int nextFrameId = 1;
    private static int framesWritten = 1; // next frame id to write
    /** The source file of each class a frame named with one (for frames of a thread dump that lack it). */
    private static final HashMap<String, String> sourceFiles = new HashMap<String, String>();

    // stacks
    private static final HashMap<StackKey, Integer> stackIds = new HashMap<StackKey, Integer>();
    private static int[][] pendingStacks = new int[64][];
    private static int pendingStackCount;
    private static int nextStackId = 1;

    // objects
    private static final ReferenceQueue<Object> cleared = new ReferenceQueue<Object>();
    private static final int INITIAL_BUCKETS = 4096;
    private static ObjEntry[] buckets = new ObjEntry[INITIAL_BUCKETS];
    private static int objectCount;
    private static long nextObjectId = 1;
    private static long[] pendingObjIds = new long[64];
    private static int[] pendingObjClass = new int[64];
    private static int[] pendingObjHash = new int[64];
    private static long[] pendingObjOwner = new long[64];
    private static long[] pendingObjCapacity = new long[64];
    private static int pendingObjCount;
    /**
     * Objects known only from the attach-time thread dump (class name and identity hash, all a LockInfo gives):
     * their ids, until the recorder first meets a matching object and gives it the same id.
     */
    private static final HashMap<String, Long> dumped = new HashMap<String, Long>();

    private Tables() {
    }

    static int string(String s) {
        if (s == null) {
            return 0;
        }
        synchronized (LOCK) {
            return stringLocked(s);
        }
    }

    private static int stringLocked(String s) {
        Integer id = stringIds.get(s);
        if (id != null) {
            return id.intValue();
        }
        int newId = nextStringId++;
        stringIds.put(s, Integer.valueOf(newId));
        if (pendingStringCount == pendingStrings.length) {
            pendingStrings = Arrays.copyOf(pendingStrings, pendingStringCount * 2);
        }
        pendingStrings[pendingStringCount++] = s;
        return newId;
    }

    /** The id of a code location (a call site found while instrumenting, or a frame of a captured stack). */
    public static int frame(String className, String method, String file, int line) {
        FrameKey key = new FrameKey(className, method, file, line);
        synchronized (LOCK) {
            Integer id = frameIds.get(key);
            if (id != null) {
                return id.intValue();
            }
            int newId = nextFrameId++;
            ensureFrameCapacity(newId);
            frameIds.put(key, Integer.valueOf(newId));
            frameClass[newId] = stringLocked(className);
            frameMethod[newId] = stringLocked(method);
            frameFile[newId] = file == null ? 0 : stringLocked(file);
            frameLine[newId] = line;
            if (file != null && !sourceFiles.containsKey(className)) {
                sourceFiles.put(className, file);
            }
            return newId;
        }
    }

    /**
     * The source file of a class, as known from the frames interned so far (the agent interns a frame for every
     * call site it rewrites), or null. A thread dump's frame of a method that was running while its class was
     * retransformed has no file name.
     */
    static String sourceFile(String className) {
        synchronized (LOCK) {
            return sourceFiles.get(className);
        }
    }

    private static void ensureFrameCapacity(int id) {
        if (id >= frameClass.length) {
            int n = Math.max(id + 1, frameClass.length * 2);
            frameClass = Arrays.copyOf(frameClass, n);
            frameMethod = Arrays.copyOf(frameMethod, n);
            frameFile = Arrays.copyOf(frameFile, n);
            frameLine = Arrays.copyOf(frameLine, n);
        }
    }

    static int stack(int[] frameIds) {
        StackKey key = new StackKey(frameIds);
        synchronized (LOCK) {
            Integer id = stackIds.get(key);
            if (id != null) {
                return id.intValue();
            }
            int newId = nextStackId++;
            stackIds.put(key, Integer.valueOf(newId));
            if (pendingStackCount == pendingStacks.length) {
                pendingStacks = Arrays.copyOf(pendingStacks, pendingStackCount * 2);
            }
            pendingStacks[pendingStackCount++] = frameIds;
            return newId;
        }
    }

    /**
     * The entry of an object, created (and, if {@code define}, queued for the trace) at first sight.
     * {@code className} and {@code ownerId} are used only when the entry is new.
     */
    static ObjEntry object(Object o, int hash, String className, long ownerId, boolean define) {
        return object(o, hash, className, ownerId, -1, define);
    }

    /** The entry of an object already seen, or null. */
    static ObjEntry existing(Object o, int hash) {
        synchronized (LOCK) {
            ObjEntry[] b = buckets;
            for (ObjEntry e = b[hash & (b.length - 1)]; e != null; e = e.next) {
                if (e.hash == hash && e.get() == o) {
                    return e;
                }
            }
            return null;
        }
    }

    /**
     * As {@link #object(Object, int, String, long, boolean)}, with the object's capacity (a channel's capacity,
     * a pool's maximum size, a barrier's parties; -1 when it has none), used only when the entry is new.
     */
    static ObjEntry object(Object o, int hash, String className, long ownerId, long capacity, boolean define) {
        synchronized (LOCK) {
            purgeCleared();
            ObjEntry[] b = buckets;
            int index = hash & (b.length - 1);
            for (ObjEntry e = b[index]; e != null; e = e.next) {
                if (e.hash == hash && e.get() == o) {
                    return e;
                }
            }
            Long dumpedId = dumped.isEmpty() ? null : dumped.remove(dumpKey(o.getClass().getName(), hash));
            ObjEntry e = new ObjEntry(o, cleared, dumpedId != null ? dumpedId.longValue() : nextObjectId++, hash);
            e.next = b[index];
            b[index] = e;
            if (++objectCount > b.length * 3 / 4) {
                resize(b.length * 2);
            }
            if (!define || dumpedId != null) {
                return e; // not to be defined, or defined by the snapshot
            }
            defineLocked(e.id, className, hash, ownerId, capacity);
            return e;
        }
    }

    /** The entry of an object if the trace already names it, else null (nothing is created). */
    static ObjEntry find(Object o, int hash) {
        synchronized (LOCK) {
            for (ObjEntry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.next) {
                if (e.hash == hash && e.get() == o) {
                    return e;
                }
            }
            return null;
        }
    }

    /**
     * The id of an object the attach-time thread dump names by class and identity hash only (a LockInfo): the
     * id of a matching object already seen, else a new id, defined now as {@code displayName}, that the first
     * matching object seen later gets too. Two live objects of one class with the same identity hash would be
     * taken for one (identity hashes are 31 bits: rare, and only for objects of the dump).
     */
    static long dumpedObject(String className, String displayName, int hash) {
        synchronized (LOCK) {
            purgeCleared();
            for (ObjEntry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.next) {
                Object o = e.get();
                if (e.hash == hash && o != null && o.getClass().getName().equals(className)) {
                    return e.resource.id;
                }
            }
            String key = dumpKey(className, hash);
            Long id = dumped.get(key);
            if (id != null) {
                return id.longValue();
            }
            long newId = nextObjectId++;
            dumped.put(key, Long.valueOf(newId));
            defineLocked(newId, displayName, hash, 0, -1);
            return newId;
        }
    }

    private static String dumpKey(String className, int hash) {
        return className.concat("@").concat(Integer.toHexString(hash));
    }

    private static void defineLocked(long id, String className, int hash, long ownerId, long capacity) {
        if (pendingObjCount == pendingObjIds.length) {
            int n = pendingObjCount * 2;
            pendingObjIds = Arrays.copyOf(pendingObjIds, n);
            pendingObjClass = Arrays.copyOf(pendingObjClass, n);
            pendingObjHash = Arrays.copyOf(pendingObjHash, n);
            pendingObjOwner = Arrays.copyOf(pendingObjOwner, n);
            pendingObjCapacity = Arrays.copyOf(pendingObjCapacity, n);
        }
        pendingObjIds[pendingObjCount] = id;
        pendingObjClass[pendingObjCount] = stringLocked(className);
        pendingObjHash[pendingObjCount] = hash;
        pendingObjOwner[pendingObjCount] = ownerId;
        pendingObjCapacity[pendingObjCount] = capacity;
        pendingObjCount++;
    }

    private static void resize(int length) {
        ObjEntry[] old = buckets;
        ObjEntry[] b = new ObjEntry[length];
        for (int i = 0; i < old.length; i++) {
            ObjEntry e = old[i];
            while (e != null) {
                ObjEntry next = e.next;
                int index = e.hash & (b.length - 1);
                e.next = b[index];
                b[index] = e;
                e = next;
            }
        }
        buckets = b;
    }

    /**
     * The sizes of the object table, after dropping the entries of collected objects: {entries of live objects,
     * buckets}; and of the other pools: {strings, frames, stacks} defined so far. For diagnostics (the soak run,
     * the test that a million short-lived locks leave nothing behind); reached by reflection from the program.
     */
    public static long[] sizes() {
        synchronized (LOCK) {
            purgeCleared();
            return new long[] {objectCount, buckets.length, nextStringId - 1, nextFrameId - 1, nextStackId - 1};
        }
    }

    /** Drops entries whose objects were collected. Their ids are never reused. */
    private static void purgeCleared() {
        Reference<?> ref;
        while ((ref = cleared.poll()) != null) {
            ObjEntry dead = (ObjEntry) ref;
            int index = dead.hash & (buckets.length - 1);
            ObjEntry prev = null;
            for (ObjEntry e = buckets[index]; e != null; prev = e, e = e.next) {
                if (e == dead) {
                    if (prev == null) {
                        buckets[index] = e.next;
                    } else {
                        prev.next = e.next;
                    }
                    objectCount--;
                    break;
                }
            }
        }
        // a burst of short-lived locks grew the table: give the memory back once they are gone
        int length = buckets.length;
        while (length > INITIAL_BUCKETS && objectCount < length / 8) {
            length /= 2;
        }
        if (length != buckets.length) {
            resize(length);
        }
    }

    /** Writes every definition made so far that the trace does not have yet. Called by the writer thread. */
    static void writePending(TraceWriter w) throws IOException {
        String[] strings;
        int stringCount;
        int firstString;
        int firstFrame;
        int frameCount;
        int[] fc;
        int[] fm;
        int[] ff;
        int[] fl;
        int[][] stacks;
        int stackCount;
        int firstStack;
        long[] objIds;
        int[] objClass;
        int[] objHash;
        long[] objOwner;
        long[] objCapacity;
        int objCount;
        synchronized (LOCK) {
            firstFrame = framesWritten;
            int end = nextFrameId;
            frameCount = end - firstFrame;
            fc = Arrays.copyOfRange(frameClass, firstFrame, end);
            fm = Arrays.copyOfRange(frameMethod, firstFrame, end);
            ff = Arrays.copyOfRange(frameFile, firstFrame, end);
            fl = Arrays.copyOfRange(frameLine, firstFrame, end);
            framesWritten = end;

            stringCount = pendingStringCount;
            firstString = nextStringId - stringCount;
            strings = Arrays.copyOf(pendingStrings, stringCount);
            pendingStringCount = 0;

            stackCount = pendingStackCount;
            firstStack = nextStackId - stackCount;
            stacks = Arrays.copyOf(pendingStacks, stackCount);
            pendingStackCount = 0;

            objCount = pendingObjCount;
            objIds = Arrays.copyOf(pendingObjIds, objCount);
            objClass = Arrays.copyOf(pendingObjClass, objCount);
            objHash = Arrays.copyOf(pendingObjHash, objCount);
            objOwner = Arrays.copyOf(pendingObjOwner, objCount);
            objCapacity = Arrays.copyOf(pendingObjCapacity, objCount);
            pendingObjCount = 0;
        }
        // strings first: frames and objects refer to them
        if (stringCount > 0) {
            w.writeStrings(firstString, strings, stringCount);
        }
        if (frameCount > 0) {
            w.writeFrames(firstFrame, fc, fm, ff, fl, frameCount);
        }
        if (stackCount > 0) {
            w.writeStacks(firstStack, stacks, stackCount);
        }
        if (objCount > 0) {
            w.writeObjects(objIds, objClass, objHash, objOwner, objCapacity, objCount);
        }
    }

    private static final class FrameKey {
        final String cls;
        final String method;
        final String file;
        final int line;

        FrameKey(String cls, String method, String file, int line) {
            this.cls = cls;
            this.method = method;
            this.file = file;
            this.line = line;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof FrameKey)) {
                return false;
            }
            FrameKey k = (FrameKey) o;
            return line == k.line && cls.equals(k.cls) && method.equals(k.method)
                    && (file == null ? k.file == null : file.equals(k.file));
        }

        @Override
        public int hashCode() {
            return (cls.hashCode() * 31 + method.hashCode()) * 31 + line;
        }
    }

    private static final class StackKey {
        final int[] frames;
        final int hash;

        StackKey(int[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StackKey && Arrays.equals(frames, ((StackKey) o).frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
