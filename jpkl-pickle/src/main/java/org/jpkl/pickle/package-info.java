/**
 * The Python JPkl pickle format as a jpkl container serializer ({@link org.jpkl.pickle.JpklPickleFormat},
 * id {@code jpkl-pickle}): reads pickles written by Python's JPkl without running them, and writes
 * pickles Python loads.
 */
package org.jpkl.pickle;
