package dev.vidqa.frames.world;

import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Motion;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.WorldSplit.Combo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The questions a scene answers, with their true answers: one of each type that the scene makes
 * unambiguous. A colour question names a shape only one object has; a shape question a colour
 * only one object has; counting asks about the beginning or the end (objects come and go);
 * motion asks about a moving object; presence about an object the scene has or a pair it lacks
 * (yes and no equally often); "when" about an object seen only early or only late.
 */
public final class QuestionMaker {
    private final WorldSplit split;

    public QuestionMaker(WorldSplit split) {
        this.split = split;
    }

    public List<WorldQa> questions(Scene scene, int index, SplittableRandom rnd) {
        List<WorldQa> out = new ArrayList<>();
        List<WorldObject> objs = scene.objects();
        String id = "q" + index + "-";
        // colour: a shape only one object has
        List<WorldObject> uniqueShape = objs.stream()
                .filter(o -> objs.stream().filter(p -> p.shape() == o.shape()).count() == 1).toList();
        if (!uniqueShape.isEmpty()) {
            WorldObject o = pick(uniqueShape, rnd);
            out.add(qa(id + "color", scene, QuestionType.COLOR, rnd, null, o.shape(), null, o.color().word(), o));
        }
        List<WorldObject> uniqueColour = objs.stream()
                .filter(o -> objs.stream().filter(p -> p.color() == o.color()).count() == 1).toList();
        if (!uniqueColour.isEmpty()) {
            WorldObject o = pick(uniqueColour, rnd);
            out.add(qa(id + "shape", scene, QuestionType.SHAPE, rnd, o.color(), null, null, o.shape().word(), o));
        }
        boolean beginning = rnd.nextBoolean();
        double t = beginning ? 0 : scene.duration() - 1e-6;
        long count = objs.stream().filter(o -> o.visibleAt(t)).count();
        out.add(qa(id + "count", scene, QuestionType.COUNT, rnd, null, null, beginning ? "beginning" : "end",
                Long.toString(count), null));
        List<WorldObject> moving = objs.stream().filter(o -> o.motion() != Motion.NONE).toList();
        if (!moving.isEmpty()) {
            WorldObject o = pick(moving, rnd);
            out.add(qa(id + "motion", scene, QuestionType.MOTION, rnd, o.color(), o.shape(), null, o.motion().word(), o));
        }
        if (rnd.nextBoolean()) {
            WorldObject o = pick(objs, rnd);
            out.add(qa(id + "presence", scene, QuestionType.PRESENCE, rnd, o.color(), o.shape(), null, "yes", o));
        } else {
            List<Combo> absent = new ArrayList<>();
            for (Colour c : Colour.values()) {
                for (Shape s : Shape.values()) {
                    Combo k = new Combo(c, s);
                    if (scene.find(c, s) == null && (split == WorldSplit.HELDOUT || !k.heldOut())) {
                        absent.add(k);
                    }
                }
            }
            Combo k = absent.get(rnd.nextInt(absent.size()));
            WorldQa q = qa(id + "presence", scene, QuestionType.PRESENCE, rnd, k.color(), k.shape(), null, "no", null);
            out.add(new WorldQa(q.id(), q.video(), q.question(), q.answer(), q.type(), q.task(), q.phrasing(),
                    k.heldOut() ? WorldQa.HELDOUT : WorldQa.SEEN));
        }
        List<WorldObject> partial = objs.stream()
                .filter(o -> o.enter() > 0 || o.leave() < scene.duration()).toList();
        if (!partial.isEmpty()) {
            WorldObject o = pick(partial, rnd);
            out.add(qa(id + "when", scene, QuestionType.WHEN, rnd, o.color(), o.shape(), null,
                    o.enter() > 0 ? "end" : "beginning", o));
        }
        return out;
    }

    private WorldQa qa(String id, Scene scene, QuestionType type, SplittableRandom rnd, Colour c, Shape s, String time,
                       String answer, WorldObject about) {
        int n = split == WorldSplit.TRAIN ? type.trainPhrasings() : type.phrasings().size();
        int p = rnd.nextInt(n);
        String q = type.phrasings().get(p);
        if (c != null) {
            q = q.replace("{c}", c.word());
        }
        if (s != null) {
            q = q.replace("{s}", s.word());
        }
        if (time != null) {
            q = q.replace("{t}", time);
        }
        boolean heldOutCombo = about != null && new Combo(about.color(), about.shape()).heldOut();
        return new WorldQa(id, scene.video(), q, answer, type, type.heldOutPhrasing(p), heldOutCombo);
    }

    private static <T> T pick(List<T> list, SplittableRandom rnd) {
        return list.get(rnd.nextInt(list.size()));
    }
}
